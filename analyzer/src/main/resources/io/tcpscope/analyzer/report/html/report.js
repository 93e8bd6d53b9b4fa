// tcpscope report: decodes the page's data, draws the connection table (paged, sortable,
// filterable) and ladders of connections that were not inlined. No network: everything is in
// this file. When done it sets <body data-ready="1"> (and data-errors, a JSON list of any
// errors, CSP violations included).
(function () {
  'use strict';
  var errors = [];
  window.addEventListener('error', function (e) { errors.push('error: ' + e.message); publish(); });
  window.addEventListener('unhandledrejection', function (e) { errors.push('rejection: ' + e.reason); publish(); });
  document.addEventListener('securitypolicyviolation', function (e) {
    errors.push('csp: ' + e.violatedDirective + ' ' + e.blockedURI); publish();
  });
  var consoleError = console.error;
  console.error = function () { errors.push('console: ' + Array.prototype.join.call(arguments, ' ')); publish(); consoleError.apply(console, arguments); };
  function publish() { document.body.setAttribute('data-errors', JSON.stringify(errors)); }
  publish();

  var SVG = 'http://www.w3.org/2000/svg';
  var D, conns = [], view = [], page = 0, pageSize = 100, sortKey = 'id', sortDir = 1;
  var hash = {};
  location.hash.replace(/^#/, '').split('&').forEach(function (kv) {
    if (kv) { var p = kv.split('='); hash[p[0]] = p.length > 1 ? decodeURIComponent(p[1]) : ''; }
  });
  if (hash.rows === 'all') { pageSize = Infinity; }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs) { e.setAttribute(k, attrs[k]); }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }
  function svgEl(tag, attrs, text) {
    var e = document.createElementNS(SVG, tag);
    for (var k in attrs) { e.setAttribute(k, attrs[k]); }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function endpoint(ip, port) { return (ip.indexOf(':') >= 0 ? '[' + ip + ']' : ip) + ':' + port; }

  function decode(json) {
    D = JSON.parse(json);
    conns = D.conns.map(function (a) {
      var flags = [];
      for (var i = 0; i < D.flags.length; i++) { if (a[7] & (1 << i)) { flags.push(D.flags[i]); } }
      return {
        id: a[0], client: endpoint(D.ips[a[1]], a[2]), server: endpoint(D.ips[a[3]], a[4]),
        cstate: D.states[a[5]], sstate: D.states[a[6]], flags: flags.join(','), flagList: flags,
        diag: a[8].map(function (d) { return D.diagnoses[d]; }).join(','), start: a[9], dur: a[10],
        packets: a[11], bytes: a[12], segs: a[13], ctl: a[14], stl: a[15]
      };
    });
  }

  function fillSelect(id, values) {
    var s = document.getElementById(id);
    values.forEach(function (v) { s.appendChild(el('option', { value: v }, v)); });
  }

  function applyFilters() {
    var st = document.getElementById('f-state').value;
    var dg = document.getElementById('f-diag').value;
    var fl = document.getElementById('f-flag').value;
    var ep = document.getElementById('f-endpoint').value.trim();
    view = conns.filter(function (c) {
      if (st && c.cstate !== st && c.sstate !== st) { return false; }
      if (dg === 'none' && c.diag) { return false; }
      if (dg === 'some' && !c.diag) { return false; }
      if (dg && dg !== 'none' && dg !== 'some' && c.diag.split(',').indexOf(dg) < 0) { return false; }
      if (fl && c.flagList.indexOf(fl) < 0) { return false; }
      if (ep && c.client.indexOf(ep) < 0 && c.server.indexOf(ep) < 0) { return false; }
      return true;
    });
    sortView();
    page = 0;
    drawTable();
  }

  function sortView() {
    view.sort(function (a, b) {
      var x = a[sortKey], y = b[sortKey];
      if (x < y) { return -sortDir; }
      if (x > y) { return sortDir; }
      return a.id - b.id;
    });
  }

  function fmtTime(us) { return '+' + (us / 1e6).toFixed(6); }

  function drawTable() {
    var tbody = document.querySelector('#conns tbody');
    var pages = Math.max(1, Math.ceil(view.length / pageSize));
    if (page >= pages) { page = pages - 1; }
    var from = pageSize === Infinity ? 0 : page * pageSize;
    var to = Math.min(view.length, from + pageSize);
    var frag = document.createDocumentFragment();
    for (var i = from; i < to; i++) {
      var c = view[i];
      var tr = el('tr', { 'data-conn-id': c.id });
      if (c.diag) { tr.className = 'diagnosed'; }
      var td = el('td', { 'class': 'id' });
      var a = el('a', { href: '#ladder=' + c.id }, String(c.id));
      td.appendChild(a);
      tr.appendChild(td);
      [c.client, c.server, c.cstate, c.sstate, c.flags, c.diag].forEach(function (v) { tr.appendChild(el('td', {}, v)); });
      tr.appendChild(el('td', { 'class': 'num' }, fmtTime(c.start)));
      tr.appendChild(el('td', { 'class': 'num' }, (c.dur / 1e6).toFixed(6)));
      tr.appendChild(el('td', { 'class': 'num' }, String(c.packets)));
      tr.appendChild(el('td', { 'class': 'num' }, String(c.bytes)));
      frag.appendChild(tr);
    }
    tbody.textContent = '';
    tbody.appendChild(frag);
    document.getElementById('count').textContent = view.length + ' of ' + conns.length + ' connections';
    document.getElementById('page').textContent = 'page ' + (page + 1) + ' of ' + pages;
  }

  // ---- ladders drawn from the compact lists (the same layout as the Java SvgLadder) ----
  var FLAG_NAMES = [[2, 'SYN'], [1, 'FIN'], [4, 'RST'], [8, 'PSH'], [16, 'ACK'], [32, 'URG'], [64, 'ECE'], [128, 'CWR']];
  function flagText(f) {
    var n = FLAG_NAMES.filter(function (p) { return f & p[0]; }).map(function (p) { return p[1]; });
    return n.length ? n.join(',') : 'none';
  }
  var KIND_TEXT = { T: 'retransmission', O: 'out of order', V: 'overlap', D: 'capture copy', K: 'keepalive', Z: 'zero-window probe' };

  function decodeSegments(text) {
    var out = [], us = 0, next = [-2, -2], ack = [-1, -1], win = [-1, -1];
    if (!text) { return out; }
    text.split(' ').forEach(function (tok) {
      if (tok.charAt(0) === '~') {
        var f = tok.slice(1).split(',').map(Number);
        out.push({ fold: true, segments: f[0], data: f[1], bytes: f[2], retrans: f[3], span: f[4], t: us });
        next = [-2, -2];
        return;
      }
      var p = tok.split(',');
      us += parseInt(p[0], 36);
      var d = p[1].charAt(0) === 'c' ? 0 : 1;
      var flags = parseInt(p[1].slice(1), 16);
      var len = p[2] ? Number(p[2]) : 0;
      var seq = p[3] ? Number(p[3]) : next[d];
      var a = p[4] ? Number(p[4]) : ack[d];
      var w = p[5] ? Number(p[5]) : win[d];
      var k = p[6] || '';
      var delivered = k.indexOf('!') < 0;
      k = k.replace('!', '');
      out.push({ t: us, dir: d, flags: flags, len: len, seq: seq, ack: a, win: w, kind: k, delivered: delivered });
      next[d] = seq < 0 ? -2 : seq + len + (flags & 2 ? 1 : 0) + (flags & 1 ? 1 : 0);
      ack[d] = a;
      win[d] = w;
    });
    return out;
  }

  function decodeTimeline(text, side, segs) {
    if (!text) { return []; }
    var kept = segs.filter(function (s) { return !s.fold; });
    return text.split(' ').map(function (tok) {
      var p = tok.split(',');
      return { t: p[0].charAt(0) === '#' ? kept[Number(p[0].slice(1))].t : parseInt(p[0], 36), state: D.states[Number(p[1])], basis: D.bases[Number(p[2])].toLowerCase(), side: side, implied: p[3] || '' };
    });
  }

  function segLabel(s) {
    var b = flagText(s.flags);
    if (s.seq >= 0) { b += ' seq=' + s.seq; }
    if (s.ack >= 0 && (s.flags & 16)) { b += ' ack=' + s.ack; }
    if (s.len > 0) { b += ' len=' + s.len; }
    b += ' win=' + s.win;
    var marks = [];
    if (KIND_TEXT[s.kind]) { marks.push(KIND_TEXT[s.kind]); }
    if (!s.delivered) { marks.push('not delivered'); }
    return marks.length ? b + ' [' + marks.join(', ') + ']' : b;
  }

  function bytesText(n) {
    if (n < 1000) { return n + ' B'; }
    if (n < 1e6) { return (n / 1e3).toFixed(1) + ' kB'; }
    if (n < 1e9) { return (n / 1e6).toFixed(1) + ' MB'; }
    return (n / 1e9).toFixed(1) + ' GB';
  }
  function spanText(us) {
    if (us < 1000) { return us.toFixed(0) + ' \u00b5s'; }
    if (us < 1e6) { return (us / 1e3).toFixed(1) + ' ms'; }
    return (us / 1e6).toFixed(1) + ' s';
  }

  function ladderRows(c) {
    var events = [], n = 0;
    var segs = decodeSegments(c.segs);
    segs.forEach(function (s) { events.push({ t: s.t, order: 0, n: n++, seg: s }); });
    decodeTimeline(c.ctl, 'client', segs).concat(decodeTimeline(c.stl, 'server', segs)).forEach(function (tr) {
      if (tr.implied) { events.push({ t: tr.t, order: -1, n: n++, implied: tr }); }
      events.push({ t: tr.t, order: 2, n: n++, tr: tr });
    });
    events.sort(function (a, b) { return a.t - b.t || a.order - b.order || a.n - b.n; });
    var rows = [];
    events.forEach(function (e) {
      if (e.seg) {
        rows.push({ t: e.t, seg: e.seg });
      } else if (e.implied) {
        var what = { F: 'FIN', A: 'SYN,ACK', S: 'SYN' }[e.implied.implied];
        rows.push({ t: e.t, implied: { from: e.implied.side, label: what + ' (not captured)' } });
      } else {
        var last = rows[rows.length - 1];
        if (last && !(last.seg && last.seg.fold) && last.t === e.t && !last[e.tr.side]) {
          last[e.tr.side] = e.tr;
        } else {
          var r = { t: e.t };
          r[e.tr.side] = e.tr;
          rows.push(r);
        }
      }
    });
    return rows;
  }

  var ROW = 26, TOP = 78, CX = 330, SX = 710, W = 920;
  function drawLadder(c) {
    var rows = ladderRows(c);
    var h = TOP + rows.length * ROW + 50;
    var svg = svgEl('svg', { 'class': 'ladder', 'data-conn-id': c.id, 'data-drawn': 'js', width: W, height: h,
      viewBox: '0 0 ' + W + ' ' + h, 'font-family': 'monospace', 'font-size': 11 });
    svg.appendChild(svgEl('rect', { width: '100%', height: '100%', fill: '#ffffff' }));
    function text(x, y, anchor, color, s, weight) {
      var t = svgEl('text', { x: x, y: y, 'text-anchor': anchor, fill: color }, s);
      if (weight) { t.setAttribute('font-weight', weight); }
      svg.appendChild(t);
      return t;
    }
    function line(x1, y1, x2, y2, color, width, dash) {
      var l = svgEl('line', { x1: x1, y1: y1, x2: x2, y2: y2, stroke: color, 'stroke-width': width });
      if (dash) { l.setAttribute('stroke-dasharray', dash); }
      svg.appendChild(l);
    }
    text(8, 16, 'start', '#222222', 'connection ' + c.id + ': final client ' + c.cstate + ', server ' + c.sstate
      + (c.diag ? '; ' + c.diag.split(',')[0] : ''), 'bold');
    text(8, 32, 'start', '#555555', 'drawn in the page from the compact segment list (first and last segments kept)');
    text(CX, TOP - 26, 'middle', '#222222', 'client', 'bold');
    text(CX, TOP - 12, 'middle', '#222222', c.client);
    text(SX, TOP - 26, 'middle', '#222222', 'server', 'bold');
    text(SX, TOP - 12, 'middle', '#222222', c.server);
    var bottom = TOP + rows.length * ROW;
    line(CX, TOP - 6, CX, bottom, '#444444', 2);
    line(SX, TOP - 6, SX, bottom, '#444444', 2);
    var BASIS = { seen: '#2b8a3e', evidence: '#1864ab', assumed: '#868e96', timer: '#862e9c', host: '#e8590c' };
    rows.forEach(function (r, i) {
      var y = TOP + i * ROW, mid = y + ROW / 2;
      var fold = r.seg && r.seg.fold;
      if (!fold) { text(8, mid + 4, 'start', '#333333', fmtTime(r.t)); }
      if (fold) {
        svg.appendChild(svgEl('rect', { x: CX + 6, y: y + 4, width: SX - CX - 12, height: ROW - 8, rx: 4, fill: '#eeeeee' }));
        var f = r.seg;
        var s = '\u2026 ' + f.data + ' data segments' + (f.segments > f.data ? ' (+' + (f.segments - f.data) + ' ACKs)' : '')
          + ', ' + bytesText(f.bytes) + ', ' + spanText(f.span) + (f.retrans ? ', ' + f.retrans + ' retransmissions' : '') + ' \u2026';
        text((CX + SX) / 2, mid + 4, 'middle', '#444444', s);
      } else if (r.seg || r.implied) {
        var toServer = r.seg ? r.seg.dir === 0 : r.implied.from === 'client';
        var x1 = toServer ? CX : SX, x2 = toServer ? SX : CX, y1 = y + 8, y2 = y + ROW - 4;
        var retrans = r.seg && r.seg.kind === 'T';
        var color = retrans ? '#d9480f' : r.implied ? '#7048e8' : '#1c5fb8';
        var dash = r.implied ? '6 4' : null;
        if (r.seg && !r.seg.delivered) {
          var xs = x1 + (x2 - x1) * 0.85, ys = y1 + (y2 - y1) * 0.85;
          line(x1, y1, xs, ys, color, 1.5, dash);
          line(xs - 5, ys - 5, xs + 5, ys + 5, '#c92a2a', 2);
          line(xs - 5, ys + 5, xs + 5, ys - 5, '#c92a2a', 2);
        } else {
          line(x1, y1, x2, y2, color, 1.5, dash);
          var dir = toServer ? -1 : 1;
          svg.appendChild(svgEl('path', { d: 'M' + x2 + ' ' + y2 + ' l' + (dir * 9) + ' -5 l0 8 z', fill: color, 'class': 'arrow' }));
        }
        text((CX + SX) / 2, y1 + 2, 'middle', color, r.seg ? segLabel(r.seg) : r.implied.label);
      }
      ['client', 'server'].forEach(function (side) {
        var tr = r[side];
        if (!tr) { return; }
        var t = text(side === 'client' ? CX - 8 : SX + 8, mid + 4, side === 'client' ? 'end' : 'start', BASIS[tr.basis], tr.state, 'bold');
        t.appendChild(svgEl('tspan', { 'font-weight': 'normal' }, ' (' + tr.basis + ')'));
      });
    });
    text(8, bottom + 22, 'start', '#555555', 'orange: retransmission; \u2715: not delivered to the receiver;'
      + ' dashed: not captured, the evidence proves it was sent');
    text(8, bottom + 38, 'start', '#555555', '(seen|evidence|assumed|timer): how the capture knows the state');
    return svg;
  }

  function showLadder(id) {
    var box = document.getElementById('ladder-view');
    box.textContent = '';
    var c = conns.find(function (x) { return x.id === id; });
    if (!c) { return; }
    document.querySelectorAll('#conns tr.selected').forEach(function (tr) { tr.classList.remove('selected'); });
    var row = document.querySelector('#conns tr[data-conn-id="' + id + '"]');
    if (row) { row.classList.add('selected'); }
    box.appendChild(el('h3', {}, 'connection ' + id + ': ' + c.client + ' \u21c4 ' + c.server));
    var inline = document.querySelector('figure.inline-ladder[data-conn-id="' + id + '"] svg');
    box.appendChild(inline ? inline.cloneNode(true) : drawLadder(c));
  }

  function onHash() {
    var m = /ladder=(\d+)/.exec(location.hash);
    if (m) { showLadder(Number(m[1])); }
  }

  function init(json) {
    decode(json);
    fillSelect('f-state', D.states.filter(function (s) { return s !== 'NONE'; }));
    fillSelect('f-diag', D.diagnoses);
    fillSelect('f-flag', D.flags);
    ['f-state', 'f-diag', 'f-flag'].forEach(function (id) { document.getElementById(id).addEventListener('change', applyFilters); });
    document.getElementById('f-endpoint').addEventListener('input', applyFilters);
    document.getElementById('prev').addEventListener('click', function () { if (page > 0) { page--; drawTable(); } });
    document.getElementById('next').addEventListener('click', function () { page++; drawTable(); });
    document.querySelectorAll('#conns th[data-key]').forEach(function (th) {
      th.addEventListener('click', function () {
        var k = th.getAttribute('data-key');
        sortDir = k === sortKey ? -sortDir : 1;
        sortKey = k;
        document.querySelectorAll('#conns th').forEach(function (x) { x.classList.remove('sorted-asc', 'sorted-desc'); });
        th.classList.add(sortDir > 0 ? 'sorted-asc' : 'sorted-desc');
        sortView();
        drawTable();
      });
    });
    window.addEventListener('hashchange', onHash);
    // The address may preset the filters and the order: #state=CLOSE_WAIT&flag=RESET&diag=some&endpoint=:80&sort=start&dir=desc
    if (hash.state) { document.getElementById('f-state').value = hash.state; }
    if (hash.diag) { document.getElementById('f-diag').value = hash.diag; }
    if (hash.flag) { document.getElementById('f-flag').value = hash.flag; }
    if (hash.endpoint) { document.getElementById('f-endpoint').value = hash.endpoint; }
    if (hash.sort && document.querySelector('#conns th[data-key="' + hash.sort + '"]')) { sortKey = hash.sort; }
    if (hash.dir === 'desc') { sortDir = -1; }
    applyFilters();
    onHash();
    document.body.setAttribute('data-connections', String(conns.length));
    document.body.setAttribute('data-ready', '1');
  }

  function load() {
    var node = document.getElementById('data');
    var raw = atob(node.textContent.trim());
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Response(stream).text();
  }

  load().then(init).catch(function (e) {
    errors.push('load: ' + e);
    publish();
    document.body.setAttribute('data-ready', 'failed');
  });
})();
