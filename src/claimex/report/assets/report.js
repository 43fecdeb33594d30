/* claimex reviewer report: filters, sorting, paging, navigation and the
   reviewer's verdicts.
   Article text reaches this script only as JSON data (search text) and as
   markup that Python already escaped: in a large report the later flag cards
   and the document bodies travel, with the data, in one gzip-compressed
   block (#claimex-store) unpacked here.  The script never concatenates text
   into HTML or code: what it adds (the review controls) is built with
   createElement and textContent.
   The reviewer's verdicts are review.js (claimexReview), which the page
   puts before this script in the same <script>.
   Filter state is kept in the URL's query (?kind=hedged&review=unreviewed). */
(function () {
  'use strict';
  var root = document.documentElement;
  root.classList.add('js');

  /* base64 -> bytes -> gunzip -> JSON, with the browser's DecompressionStream */
  function unpack(block) {
    var bin = atob(block.textContent);
    var bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) { bytes[i] = bin.charCodeAt(i); }
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Response(stream).text().then(JSON.parse);
  }

  /* without the store: say what is missing; the flags still filter if their data is plain */
  function cannotUnpack() {
    document.getElementById('store-note').hidden = false;
    if (plain) {
      start(JSON.parse(plain.textContent), {});
    } else {
      root.setAttribute('data-ready', 'partial');
    }
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    for (var name in attrs) {
      if (Object.prototype.hasOwnProperty.call(attrs, name)) { node.setAttribute(name, attrs[name]); }
    }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function start(data, fragments) {
    var rows = data.flags;
    var PAGE = data.page;
    var list = document.getElementById('flag-list');
    var cards = new Array(rows.length);
    var byId = {};
    var order = [];
    var limit = PAGE;
    for (var i = 0; i < rows.length; i++) { byId[rows[i].id] = i; order.push(i); }
    var fKind = document.getElementById('f-kind');
    var fSrc = document.getElementById('f-source');
    var fEnt = document.getElementById('f-entity');
    var fText = document.getElementById('f-text');
    var fSort = document.getElementById('f-sort');
    var count = document.getElementById('flag-count');
    var empty = document.getElementById('flag-empty');
    var more = document.getElementById('flag-more');
    var review = window.claimexReview.make(data, rows, el);
    var fReview = review.filter;
    fSort.parentNode.parentNode.insertBefore(fReview.parentNode, fSort.parentNode.nextSibling);

    /* Turn the stored markup of an anchor (escaped by Python) into nodes, once. */
    function materialize(id) {
      if (!Object.prototype.hasOwnProperty.call(fragments, id)) { return null; }
      var tpl = document.createElement('template');
      tpl.innerHTML = fragments[id];
      delete fragments[id];
      return tpl.content;
    }

    /* An opposing statement is written once (data.st: the escaped markup of its pane); the
       card carries a short excerpt that is replaced by the whole pane when the card is shown. */
    var statements = data.st || [];
    function fillPanes(node) {
      var panes = node.querySelectorAll('.pane[data-st]');
      for (var p = 0; p < panes.length; p++) {
        var markup = statements[+panes[p].getAttribute('data-st')];
        if (typeof markup !== 'string') { continue; }
        var tpl = document.createElement('template');
        tpl.innerHTML = markup;
        panes[p].replaceChildren(tpl.content);
        panes[p].removeAttribute('data-st');
      }
    }

    function card(i) {
      if (!cards[i]) {
        cards[i] = document.getElementById(rows[i].id) || materialize(rows[i].id).firstElementChild;
        fillPanes(cards[i]);
        review.decorate(cards[i], i);
      }
      return cards[i];
    }

    function render() {
      var k = fKind.value;
      var s = fSrc.value === '' ? -1 : +fSrc.value;
      var e = fEnt.value === '' ? -1 : +fEnt.value;
      var rv = fReview.value;
      var words = fText.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = [];
      var total = 0;
      for (var n = 0; n < order.length; n++) {
        var r = rows[order[n]];
        var ok = (k === '' || r.k === k) && (s < 0 || r.src === s) && (e < 0 || r.e.indexOf(e) >= 0) &&
          (rv === '' || review.matches(order[n], rv));
        for (var j = 0; ok && j < words.length; j++) { ok = r.q.indexOf(words[j]) >= 0; }
        if (ok) {
          total++;
          if (shown.length < limit) { shown.push(card(order[n])); }
        }
      }
      list.replaceChildren.apply(list, shown);
      count.textContent = total + ' of ' + rows.length + ' flags match' +
        (shown.length < total ? ' · showing ' + shown.length : '');
      empty.hidden = total !== 0;
      more.hidden = shown.length >= total;
    }

    var comparators = {
      severity: function (a, b) { return (rows[b].sev - rows[a].sev) || (rows[b].sc - rows[a].sc) || (rows[a].o - rows[b].o); },
      score: function (a, b) { return (rows[b].sc - rows[a].sc) || (rows[b].sev - rows[a].sev) || (rows[a].o - rows[b].o); },
      'score-asc': function (a, b) { return (rows[a].sc - rows[b].sc) || (rows[a].sev - rows[b].sev) || (rows[a].o - rows[b].o); },
      document: function (a, b) { return rows[a].o - rows[b].o; }
    };
    function sort() {
      order.sort(comparators[fSort.value] || comparators.severity);
    }

    /* the filters in the URL's query, so that a filtered view can be shared or bookmarked */
    var params = [['kind', fKind], ['source', fSrc], ['entity', fEnt], ['q', fText], ['sort', fSort],
                  ['review', fReview]];
    function saveQuery() {
      var q = new URLSearchParams();
      for (var p = 0; p < params.length; p++) {
        var v = params[p][1].value;
        if (v !== '' && !(params[p][0] === 'sort' && v === 'severity')) { q.set(params[p][0], v); }
      }
      var search = q.toString() ? '?' + q.toString() : '';
      if (search !== location.search) {
        try { history.replaceState(null, '', location.pathname + search + location.hash); } catch (err) { /* ignore */ }
      }
    }
    function loadQuery() {
      var q = new URLSearchParams(location.search);
      for (var p = 0; p < params.length; p++) {
        var v = q.get(params[p][0]);
        if (v === null) { continue; }
        var input = params[p][1];
        input.value = v;
        if (input.value !== v) { input.value = p === 4 ? 'severity' : ''; }  /* not one of the options */
      }
    }
    function refilter() { limit = PAGE; render(); saveQuery(); }

    var timer = null;
    fText.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(refilter, 120);
    });
    fKind.addEventListener('change', refilter);
    fSrc.addEventListener('change', refilter);
    fEnt.addEventListener('change', refilter);
    fReview.addEventListener('change', refilter);
    fSort.addEventListener('change', function () { sort(); refilter(); });
    more.addEventListener('click', function () { limit += PAGE; render(); });
    function reset() {
      fKind.value = ''; fSrc.value = ''; fEnt.value = ''; fText.value = ''; fSort.value = 'severity';
      fReview.value = '';
      sort();
    }
    document.getElementById('f-reset').addEventListener('click', function () { reset(); refilter(); });
    var kindStats = document.querySelectorAll('[data-filter-kind]');
    for (var s = 0; s < kindStats.length; s++) {
      kindStats[s].addEventListener('click', function (ev) {
        fKind.value = ev.currentTarget.getAttribute('data-filter-kind');
        refilter();
        document.getElementById('flags').scrollIntoView();
      });
    }

    /* documents of a large report are built when first opened */
    function fillDoc(details) {
      var body = materialize(details.id);
      if (body) { details.appendChild(body); }
    }
    document.addEventListener('toggle', function (ev) {
      if (ev.target.tagName === 'DETAILS' && ev.target.open) { fillDoc(ev.target); }
    }, true);
    function docFor(id) {
      var best = null;
      var ds = document.querySelectorAll('details.doc');
      for (var i = 0; i < ds.length; i++) {
        var did = ds[i].id;
        if (id === did || (id.lastIndexOf(did + '-s', 0) === 0 && (!best || did.length > best.id.length))) {
          best = ds[i];
        }
      }
      return best;
    }

    /* follow #flag-... and #doc-...-sN links: show the card or open the document */
    function reveal() {
      var id = decodeURIComponent(location.hash.slice(1));
      if (!id) { return; }
      var el = document.getElementById(id);
      if (!el && byId.hasOwnProperty(id)) {
        reset();
        saveQuery();
        limit = Math.max(limit, (Math.floor(order.indexOf(byId[id]) / PAGE) + 1) * PAGE);
        render();
        el = document.getElementById(id);
      }
      if (!el) {
        var d = docFor(id);
        if (d) { fillDoc(d); el = document.getElementById(id); }
      }
      if (!el) { return; }
      for (var p = el; p; p = p.parentElement) {
        if (p.tagName === 'DETAILS') { fillDoc(p); p.open = true; }
      }
      if (byId.hasOwnProperty(id)) { review.setCurrent(el, false); }
      el.scrollIntoView({ block: 'center' });
      el.classList.add('flash');
      setTimeout(function () { el.classList.remove('flash'); }, 2500);
    }
    window.addEventListener('hashchange', reveal);

    function setAll(open) {
      var ds = document.querySelectorAll('details.doc');
      for (var i = 0; i < ds.length; i++) {
        if (open) { fillDoc(ds[i]); }
        ds[i].open = open;
      }
    }
    document.getElementById('docs-open').addEventListener('click', function () { setAll(true); });
    document.getElementById('docs-close').addEventListener('click', function () { setAll(false); });

    /* the phone layout folds the filters away behind one button */
    var filters = fKind.parentNode.parentNode;
    var fold = el('button', { type: 'button', id: 'f-fold', 'aria-expanded': 'false', 'aria-controls': 'flags' },
                  'Filters');
    fold.addEventListener('click', function () {
      var open = filters.classList.toggle('open');
      fold.setAttribute('aria-expanded', open ? 'true' : 'false');
    });
    filters.insertBefore(fold, filters.firstChild);
    filters.appendChild(review.counter);

    review.onChange = function () { if (fReview.value !== '') { saveQuery(); } };
    review.onImport = function () { render(); };
    review.visibleCards = function () { return list.children; };
    /* j on the last card shown pages on, as "Show more" does */
    review.showMore = function () {
      if (more.hidden) { return false; }
      limit += PAGE;
      render();
      return true;
    };

    /* documents opened while the store was being unpacked */
    var opened = document.querySelectorAll('details.doc[open]');
    for (var d = 0; d < opened.length; d++) { fillDoc(opened[d]); }
    loadQuery();
    sort();
    render();
    if (location.hash) { reveal(); }
    window.__claimexReady = performance.now();
    root.setAttribute('data-ready', '1');
  }

  /* ------------------------------------------------------------------ start */
  var plain = document.getElementById('claimex-data');
  var packed = document.getElementById('claimex-store');
  if (!packed) {
    start(JSON.parse(plain.textContent), {});
  } else if (typeof DecompressionStream === 'function') {
    unpack(packed).then(function (store) {
      packed.parentNode.removeChild(packed);
      start(plain ? JSON.parse(plain.textContent) : store.data, store.fragments);
    }, cannotUnpack);
  } else {
    cannotUnpack();
  }
})();
