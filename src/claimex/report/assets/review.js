/* claimex reviewer report: the reviewer's verdicts (accept / reject / unsure and
   a note per flag), one bar of controls per card, keys (j/k, a/r/u, n, o, ?),
   the "reviewed N / M" counter and the review filter, export and import.
   Verdicts live in localStorage under "claimex.review/<run id>/<flag id>", so a
   reload or a second day keeps them; they are exported as JSON or CSV (the files
   `claimex review import` reads; see docs/review.md) and such a file can be
   imported back.  Verdicts of an earlier review (verdicts.parquet) come in the
   page's data.  Everything here is built with createElement and textContent:
   no text from a file or an article becomes markup.
   report.js calls claimexReview.make(data, rows, el) when the page starts. */
var claimexReview = (function () {
  'use strict';

  var CHOICES = ['accept', 'reject', 'unsure'];
  var CHOICE_KEYS = { a: 'accept', r: 'reject', u: 'unsure' };
  var CHOICE_LABELS = { accept: 'Accept', reject: 'Reject', unsure: 'Unsure' };
  var PAST = { accept: 'accepted', reject: 'rejected', unsure: 'unsure' };
  var FIELDS = ['flag_id', 'claim_id', 'verdict', 'note', 'reviewer', 'decided_at'];

  function storage() {
    try {
      var ls = window.localStorage;
      ls.getItem('claimex.review/probe');
      return ls;
    } catch (err) {
      return null;
    }
  }

  function csvCell(value) {
    var text = value === null || value === undefined ? '' : String(value);
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  /* RFC 4180 CSV -> rows of cells, each with the line its record starts on */
  function parseCsv(text) {
    var out = [];
    var row = [];
    var cell = '';
    var quoted = false;
    var line = 1;
    var startLine = 1;
    for (var i = 0; i < text.length; i++) {
      var c = text[i];
      if (quoted) {
        if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
        else if (c === '"') { quoted = false; }
        else { if (c === '\n') { line++; } cell += c; }
      } else if (c === '"') {
        quoted = true;
      } else if (c === ',') {
        row.push(cell); cell = '';
      } else if (c === '\n' || c === '\r') {
        if (c === '\r' && text[i + 1] === '\n') { i++; }
        row.push(cell); cell = '';
        out.push({ line: startLine, cells: row });
        row = []; line++; startLine = line;
      } else {
        cell += c;
      }
    }
    if (cell !== '' || row.length) { row.push(cell); out.push({ line: startLine, cells: row }); }
    return out;
  }

  /* the verdict records of an export (JSON or CSV); throws Error('line N: ...') */
  function parseExport(text, name) {
    text = text.replace(/^\uFEFF/, '');
    var records = [];
    if (/\.json$/i.test(name) || /^\s*[[{]/.test(text)) {
      var data = JSON.parse(text);
      var items = Array.isArray(data) ? data : data && data.verdicts;
      if (!Array.isArray(items)) { throw new Error('not a verdict export: no "verdicts" list'); }
      for (var i = 0; i < items.length; i++) { records.push({ line: i + 1, rec: items[i] || {} }); }
      return records;
    }
    var table = parseCsv(text).filter(function (r) { return r.cells.join('').trim() !== ''; });
    if (!table.length) { throw new Error('the file is empty'); }
    var head = table[0].cells.map(function (h) { return h.trim().toLowerCase(); });
    if (head.indexOf('flag_id') < 0 || head.indexOf('verdict') < 0) {
      throw new Error('not a verdict export: the CSV has no flag_id or verdict column');
    }
    for (var r = 1; r < table.length; r++) {
      var rec = {};
      for (var c = 0; c < head.length; c++) { rec[head[c]] = table[r].cells[c] || ''; }
      records.push({ line: table[r].line, rec: rec });
    }
    return records;
  }

  function makeReview(data, rows, el) {
    var run = data.run || ('page:' + location.pathname);
    var prefix = 'claimex.review/' + run + '/';
    var ls = storage();
    var earlier = data.verdicts || {};    /* flag_id -> [verdict, note, reviewer, decided_at] from verdicts.parquet */
    var fresh = {};                       /* flags new since the last review */
    (data.new || []).forEach(function (f) { fresh[f] = true; });
    var decided = new Array(rows.length); /* index -> {v, n, r, t} */
    var fidIndex = {};
    var cards = new Array(rows.length);
    var current = null;
    var api = { onChange: null, onImport: null, visibleCards: null, showMore: null };

    function fid(i) { return rows[i].fid || rows[i].id.replace(/^flag-/, ''); }
    for (var i = 0; i < rows.length; i++) {
      fidIndex[fid(i)] = i;
      var kept = null;
      if (ls) {
        try { kept = JSON.parse(ls.getItem(prefix + fid(i))); } catch (err) { kept = null; }
      }
      if (!kept && earlier[fid(i)]) {
        var e = earlier[fid(i)];
        kept = { v: e[0], n: e[1] || '', r: e[2] || '', t: e[3], earlier: true };
      }
      decided[i] = kept && (kept.v || kept.n) ? kept : null;
    }

    function reviewer() { return (ls && ls.getItem('claimex.review/reviewer')) || ''; }

    function save(i) {
      if (!ls) { return; }
      try {
        if (decided[i]) { ls.setItem(prefix + fid(i), JSON.stringify(decided[i])); }
        else { ls.setItem(prefix + fid(i), JSON.stringify({ v: null, n: '', t: new Date().toISOString() })); }
      } catch (err) {
        status('Cannot save in this browser (' + err.name + '): export your verdicts before closing the page.');
      }
    }

    /* toolbar: counter (in the sticky filter bar), review filter, reviewer, export, import, help */
    var counter = el('span', { id: 'rv-count', 'aria-live': 'polite' });
    var filterLabel = el('label', {}, 'Review');
    var filter = el('select', { id: 'f-review' });
    var options = [['', 'all flags'], ['unreviewed', 'unreviewed only'], ['accept', 'accepted'],
                   ['reject', 'rejected'], ['unsure', 'unsure'], ['noted', 'with a note']];
    if (data.new && data.new.length) { options.push(['new', 'new since the last review (' + data.new.length + ')']); }
    options.forEach(function (o) { filter.appendChild(el('option', { value: o[0] }, o[1])); });
    filterLabel.appendChild(filter);

    var tools = el('div', { class: 'review-tools', role: 'group', 'aria-label': 'Verdicts' });
    var nameLabel = el('label', {}, 'Reviewer');
    var name = el('input', { type: 'text', id: 'rv-name', autocomplete: 'name', placeholder: 'your name', maxlength: '80' });
    name.value = reviewer();
    name.addEventListener('change', function () {
      if (ls) { try { ls.setItem('claimex.review/reviewer', name.value.trim()); } catch (err) { /* ignore */ } }
    });
    nameLabel.appendChild(name);
    var bJson = el('button', { type: 'button', id: 'rv-export-json' }, 'Export JSON');
    var bCsv = el('button', { type: 'button', id: 'rv-export-csv' }, 'Export CSV');
    var file = el('input', { type: 'file', id: 'rv-import-file', accept: '.json,.csv,application/json,text/csv', hidden: '' });
    var bImport = el('button', { type: 'button', id: 'rv-import' }, 'Import…');
    var bHelp = el('button', { type: 'button', id: 'rv-help-open', 'aria-keyshortcuts': '?' }, 'Keys (?)');
    var note = el('span', { id: 'rv-status', role: 'status' });
    [nameLabel, bJson, bCsv, bImport, file, bHelp, note].forEach(function (n) { tools.appendChild(n); });
    var flagsList = document.getElementById('flag-list');
    flagsList.parentNode.insertBefore(tools, flagsList);
    if (!ls) { status('This browser does not keep data for this page: export your verdicts before closing it.'); }

    var help = el('dialog', { id: 'rv-help', 'aria-label': 'Keyboard shortcuts' });
    help.appendChild(el('h3', {}, 'Keyboard shortcuts'));
    var dl = el('dl');
    [['j / k', 'next / previous flag'], ['a', 'accept the flag (it is right) and go to the next'],
     ['r', 'reject the flag (it is wrong) and go to the next'], ['u', 'unsure, and go to the next'],
     ['the same key again', 'clears the verdict'], ['n', 'write a note on the flag (Esc returns)'],
     ['o', 'open the flag\u2019s sentence in its document'], ['?', 'this help (Esc closes)']]
      .forEach(function (kv) { dl.appendChild(el('dt', {}, kv[0])); dl.appendChild(el('dd', {}, kv[1])); });
    help.appendChild(dl);
    help.appendChild(el('p', {}, 'Verdicts are kept in this browser for this run of the report. ' +
      'Export them (JSON or CSV) and run `claimex review import DIR FILE` to keep them with the run\u2019s tables.'));
    var close = el('button', { type: 'button', id: 'rv-help-close' }, 'Close');
    close.addEventListener('click', function () { help.close(); });
    help.appendChild(close);
    document.body.appendChild(help);
    bHelp.addEventListener('click', function () { help.showModal(); });

    function status(text) { note.textContent = text; }

    function updateCounter() {
      var n = 0;
      for (var i = 0; i < decided.length; i++) { if (decided[i] && decided[i].v) { n++; } }
      counter.textContent = 'reviewed ' + n + ' / ' + rows.length;
    }

    /* the controls on one card */
    function decorate(card, i) {
      cards[i] = card;
      card.setAttribute('tabindex', '-1');
      card.setAttribute('data-index', String(i));
      var bar = el('div', { class: 'review', role: 'group', 'aria-label': 'Your verdict on this flag' });
      CHOICES.forEach(function (c) {
        var b = el('button', { type: 'button', class: 'rv-' + c, 'data-verdict': c, 'aria-pressed': 'false',
                               'aria-keyshortcuts': c[0] }, CHOICE_LABELS[c]);
        b.appendChild(el('kbd', {}, c[0]));
        bar.appendChild(b);
      });
      var nb = el('button', { type: 'button', class: 'rv-note-open', 'aria-keyshortcuts': 'n', 'aria-expanded': 'false' }, 'Note');
      nb.appendChild(el('kbd', {}, 'n'));
      bar.appendChild(nb);
      bar.appendChild(el('span', { class: 'rv-state' }));
      var area = el('textarea', { class: 'rv-note', rows: '2', maxlength: '2000', hidden: '',
                                  'aria-label': 'Note on this flag', placeholder: 'why? (exported with the verdict)' });
      bar.appendChild(area);
      card.appendChild(bar);
      paint(i);
    }

    function paint(i) {
      var card = cards[i];
      if (!card) { return; }
      var d = decided[i];
      var v = d && d.v;
      CHOICES.forEach(function (c) { card.classList.toggle('rv-' + c, v === c); });
      var buttons = card.querySelectorAll('.review button[data-verdict]');
      for (var b = 0; b < buttons.length; b++) {
        buttons[b].setAttribute('aria-pressed', buttons[b].getAttribute('data-verdict') === v ? 'true' : 'false');
      }
      var area = card.querySelector('.rv-note');
      if (d && d.n && area.value !== d.n) { area.value = d.n; area.hidden = false; }
      card.querySelector('.rv-state').textContent = v ? PAST[v] + (d.r ? ' by ' + d.r : '') +
        (d.earlier ? ' (imported review)' : '') : 'not reviewed';
    }

    function decide(i, verdict, toggle) {
      var d = decided[i] || { v: null, n: '' };
      var v = toggle && d.v === verdict ? null : verdict;
      decided[i] = v || d.n ? { v: v, n: d.n || '', r: reviewer(), t: new Date().toISOString() } : null;
      save(i);
      paint(i);
      updateCounter();
      if (api.onChange) { api.onChange(); }
    }

    function setNote(i, text) {
      var d = decided[i] || { v: null };
      decided[i] = d.v || text ? { v: d.v, n: text, r: reviewer(), t: new Date().toISOString() } : null;
      save(i);
      paint(i);
    }

    function indexOf(card) { return card ? +card.getAttribute('data-index') : -1; }

    function setCurrent(card, focus) {
      if (current && current !== card) { current.classList.remove('current'); }
      current = card;
      if (!card) { return; }
      card.classList.add('current');
      if (focus) {
        card.focus({ preventScroll: true });
        card.scrollIntoView({ block: 'nearest' });
      }
    }

    function move(step) {
      var shown = api.visibleCards();
      if (!shown.length) { return null; }
      var at = current ? Array.prototype.indexOf.call(shown, current) : -1;
      if (at === shown.length - 1 && step > 0 && api.showMore && api.showMore()) { shown = api.visibleCards(); }
      var next = at < 0 ? 0 : Math.min(Math.max(at + step, 0), shown.length - 1);
      setCurrent(shown[next], true);
      return shown[next];
    }

    function openNote(card) {
      var area = card.querySelector('.rv-note');
      area.hidden = false;
      card.querySelector('.rv-note-open').setAttribute('aria-expanded', 'true');
      area.focus();
    }

    /* clicks and typing on the cards */
    flagsList.addEventListener('click', function (ev) {
      var card = ev.target.closest('article.flag');
      if (!card) { return; }
      setCurrent(card, false);
      var b = ev.target.closest('.review button');
      if (!b) { return; }
      if (b.hasAttribute('data-verdict')) { decide(indexOf(card), b.getAttribute('data-verdict'), true); }
      else { openNote(card); }
    });
    var noteTimer = null;
    flagsList.addEventListener('input', function (ev) {
      if (!ev.target.classList.contains('rv-note')) { return; }
      var card = ev.target.closest('article.flag');
      clearTimeout(noteTimer);
      noteTimer = setTimeout(function () { setNote(indexOf(card), ev.target.value.trim()); }, 250);
    });
    flagsList.addEventListener('change', function (ev) {
      if (ev.target.classList.contains('rv-note')) {
        clearTimeout(noteTimer);
        setNote(indexOf(ev.target.closest('article.flag')), ev.target.value.trim());
      }
    });

    document.addEventListener('keydown', function (ev) {
      if (ev.ctrlKey || ev.metaKey || ev.altKey || ev.defaultPrevented) { return; }
      var t = ev.target;
      if (t.classList && t.classList.contains('rv-note')) {
        if (ev.key === 'Escape') {
          ev.preventDefault();
          setNote(indexOf(t.closest('article.flag')), t.value.trim());
          setCurrent(t.closest('article.flag'), true);
        }
        return;
      }
      if (/^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName) || t.isContentEditable || help.open) { return; }
      var key = ev.key;
      if (key === '?') { ev.preventDefault(); help.showModal(); return; }
      if (key === 'j' || key === 'k') { ev.preventDefault(); move(key === 'j' ? 1 : -1); return; }
      if (!CHOICE_KEYS[key] && key !== 'n' && key !== 'o') { return; }
      ev.preventDefault();
      var card = current && current.isConnected ? current : move(0);
      if (!card) { return; }
      if (key === 'n') { openNote(card); return; }
      if (key === 'o') {
        var link = card.querySelector('.where a[href^="#doc-"]');
        if (link) { link.click(); }
        return;
      }
      decide(indexOf(card), CHOICE_KEYS[key], true);
      if (decided[indexOf(card)]) { move(1); }
    });

    /* export: every flag of this report with a verdict, in document order */
    function records() {
      var idx = [];
      for (var i = 0; i < rows.length; i++) { if (decided[i] && decided[i].v) { idx.push(i); } }
      idx.sort(function (a, b) { return rows[a].o - rows[b].o; });
      return idx.map(function (i) {
        var d = decided[i];
        return { flag_id: fid(i), claim_id: rows[i].cid || '', verdict: d.v, note: d.n || '',
                 reviewer: d.r || '', decided_at: d.t };
      });
    }
    function download(text, type, ext) {
      var stamp = new Date().toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
      var a = el('a', { download: 'claimex-verdicts-' + (data.run || 'report') + '-' + stamp + '.' + ext });
      var url = URL.createObjectURL(new Blob([text], { type: type }));
      a.href = url;
      document.body.appendChild(a);
      a.click();
      document.body.removeChild(a);
      setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
    }
    bJson.addEventListener('click', function () {
      var recs = records();
      var head = JSON.stringify({ format: 'claimex-verdicts', version: 1, run_id: data.run || null,
                                  exported_at: new Date().toISOString() });
      var body = recs.map(function (r) { return JSON.stringify(r); }).join(',\n');
      download(head.slice(0, -1) + ', "verdicts": [\n' + body + (recs.length ? '\n' : '') + ']}\n',
               'application/json', 'json');
      status('Exported ' + recs.length + ' verdicts as JSON.');
    });
    bCsv.addEventListener('click', function () {
      var recs = records();
      var lines = [FIELDS.join(',')].concat(recs.map(function (r) {
        return FIELDS.map(function (f) { return csvCell(r[f]); }).join(',');
      }));
      download(lines.join('\r\n') + '\r\n', 'text/csv', 'csv');
      status('Exported ' + recs.length + ' verdicts as CSV.');
    });

    /* import: per flag the later decision wins */
    bImport.addEventListener('click', function () { file.click(); });
    file.addEventListener('change', function () {
      var f = file.files[0];
      if (!f) { return; }
      f.text().then(function (text) {
        var recs;
        try { recs = parseExport(text, f.name); } catch (err) {
          status(f.name + ': cannot import (' + err.message + ').');
          return;
        }
        var n = 0;
        var unknown = 0;
        var bad = [];
        recs.forEach(function (item) {
          var r = item.rec;
          var v = String(r.verdict || '').trim().toLowerCase();
          var t = String(r.decided_at || '').trim();
          if (CHOICES.indexOf(v) < 0 || !r.flag_id || isNaN(Date.parse(t))) { bad.push(item.line); return; }
          var i = fidIndex[String(r.flag_id).trim()];
          if (i === undefined) { unknown++; return; }
          var d = decided[i];
          if (d && d.v && !d.earlier && Date.parse(d.t) > Date.parse(t)) { return; }
          decided[i] = { v: v, n: String(r.note || ''), r: String(r.reviewer || ''), t: new Date(Date.parse(t)).toISOString() };
          save(i);
          paint(i);
          n++;
        });
        updateCounter();
        file.value = '';
        status(f.name + ': imported ' + n + ' verdicts' + (unknown ? ', ' + unknown + ' for flags not in this report' : '') +
               (bad.length ? ', skipped ' + bad.length + ' invalid (line ' + bad.slice(0, 5).join(', ') + ')' : '') + '.');
        if (api.onImport) { api.onImport(); }
      });
    });

    /* decisions made in this browser on an earlier report (another run id) of the same flags */
    function fromEarlierReports() {
      var found = {};
      if (!ls) { return found; }
      for (var k = 0; k < ls.length; k++) {
        var key = ls.key(k);
        if (!key || key.lastIndexOf('claimex.review/', 0) !== 0 || key.lastIndexOf(prefix, 0) === 0) { continue; }
        var parts = key.split('/');
        var i = parts.length === 3 ? fidIndex[parts[2]] : undefined;
        if (i === undefined || decided[i]) { continue; }
        var d = null;
        try { d = JSON.parse(ls.getItem(key)); } catch (err) { d = null; }
        if (d && d.v && CHOICES.indexOf(d.v) >= 0 && (!found[i] || found[i].t < d.t)) { found[i] = d; }
      }
      return found;
    }
    var carried = fromEarlierReports();
    var nCarried = Object.keys(carried).length;
    if (nCarried) {
      var bCarry = el('button', { type: 'button', id: 'rv-carry' },
                      'Bring over ' + nCarried + ' verdict' + (nCarried === 1 ? '' : 's') + ' from earlier reports');
      bCarry.title = 'Verdicts made in this browser on an earlier run\u2019s report, on flags with the same id';
      bCarry.addEventListener('click', function () {
        var n = 0;
        for (var i in carried) {
          if (Object.prototype.hasOwnProperty.call(carried, i) && !decided[i]) {
            decided[i] = { v: carried[i].v, n: carried[i].n || '', r: carried[i].r || '', t: carried[i].t };
            save(+i); paint(+i); n++;
          }
        }
        updateCounter();
        tools.removeChild(bCarry);
        status('Brought over ' + n + ' verdicts from earlier reports.');
        if (api.onImport) { api.onImport(); }
      });
      tools.insertBefore(bCarry, note);
    }

    updateCounter();
    api.filter = filter;
    api.counter = counter;
    api.decorate = decorate;
    api.setCurrent = setCurrent;
    api.matches = function (i, what) {
      var d = decided[i];
      var v = d && d.v;
      if (what === 'unreviewed') { return !v; }
      if (what === 'new') { return !!fresh[fid(i)]; }
      if (what === 'noted') { return !!(d && d.n); }
      return v === what;
    };
    return api;
  }

  return { make: makeReview, parseExport: parseExport };
})();
