// ponder's page: asks over the /ws/reason WebSocket and draws the search tree as its events arrive.
'use strict';

const $ = (id) => document.getElementById(id);
const SVG = 'http://www.w3.org/2000/svg';
const DX = 64;          // px between neighbouring leaves (room for an answer label)
const DY = 70;          // px between depths
const PAD = 28;         // px around the tree
const R = 9;            // node radius

const page = {
  ws: null,
  connecting: false,
  pendingAsk: null,     // an ask made before the socket opened, sent from onopen
  seq: 0,
  search: null,         // the ask being shown: see newSearch()
  renderQueued: false,
  timer: null,
  zoom: 1,              // 1: natural size; the buttons and Ctrl + wheel change it
};

// ---- options, model state and the API key -------------------------------------------------

const apiKey = () => localStorage.getItem('ponder-api-key');

async function loadOptions() {
  try {
    const key = apiKey();
    const res = await fetch('/v1/reason/options', key ? { headers: { Authorization: 'Bearer ' + key } } : {});
    if (res.status === 401) {
      $('key-row').hidden = false;
      setStatus('error', 'API key needed');
      return;
    }
    $('key-row').hidden = true;
    const o = await res.json();
    const select = $('strategy');
    if (!select.options.length) {
      for (const s of o.strategies) {
        select.add(new Option(s, s, false, s === o.defaultStrategy));
      }
      $('budget').max = o.maxBudget;
      $('budget').value = Math.min(o.defaultBudget, o.maxBudget);
      $('budget-value').textContent = $('budget').value;
      $('max-tokens').max = o.maxTokens;
      $('max-tokens').value = Math.min(256, o.maxTokens);
    }
    if (!page.ws && !page.connecting) {
      connect();
    }
    if (o.state === 'ready') {
      setStatus('ready', o.model + ' ready');
    } else if (o.state === 'failed') {
      setStatus('error', 'model failed to load (see /q/health/ready)');
    } else {
      setStatus('connecting', 'model loading…');
      setTimeout(loadOptions, 1000);
    }
  } catch (e) {
    setStatus('error', 'server unreachable');
    setTimeout(loadOptions, 2000);
  }
}

function setStatus(state, text) {
  $('status').dataset.state = state;
  $('status').textContent = text;
}

// ---- WebSocket -----------------------------------------------------------------------------

function connect() {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const key = apiKey();
  const ws = new WebSocket(`${scheme}://${location.host}/ws/reason` + (key ? '?api_key=' + encodeURIComponent(key) : ''),
    ['ponder.v1']);
  page.connecting = true;
  ws.onmessage = (e) => onMessage(JSON.parse(e.data));
  ws.onclose = () => {
    page.pendingAsk = null;
    if (page.search && !page.search.ended) {
      finish('error', 'connection lost');
    }
    page.ws = null;
    page.connecting = false;
    setTimeout(connect, 1000);
  };
  ws.onopen = () => {
    page.ws = ws;
    page.connecting = false;
    // an ask made while the socket was still opening goes out now
    if (page.pendingAsk) {
      ws.send(page.pendingAsk);
      page.pendingAsk = null;
    }
  };
}

function onMessage(m) {
  const s = page.search;
  if (!s || m.id !== s.id) {
    return;               // an ask we no longer show
  }
  switch (m.type) {
    case 'queued':
      setAnswer('running', '…', `waiting for a slot: number ${m.position} in the queue`);
      break;
    case 'node':
      addNode(s, m);
      break;
    case 'score':
      if (s.nodes.has(m.node)) Object.assign(s.nodes.get(m.node), { score: m.score, check: m.check ?? null });
      break;
    case 'prune':
      if (s.nodes.has(m.node)) s.nodes.get(m.node).pruned = true;
      break;
    case 'best':
      s.path = m.path;
      s.best = new Set(m.path);
      break;
    case 'token':
      s.text = m.reset ? m.text : s.text + m.text;
      $('chain').textContent = s.text;
      $('chain').scrollTop = $('chain').scrollHeight;
      break;
    case 'done':
      s.result = m.result;
      s.path = m.result.path;
      s.best = new Set(m.result.path);
      $('chain').textContent = m.result.text;
      finish('done');
      break;
    case 'cancelled':
      finish('cancelled');
      break;
    case 'error':
      if (m.terminal === false) break;   // a refused message (e.g. a duplicate id): the ask goes on
      finish('error', m.error ? m.error.detail : 'error');
      break;
  }
  scheduleRender();
}

// ---- asking --------------------------------------------------------------------------------

function newSearch(id, question) {
  return { id, question, nodes: new Map(), best: new Set(), path: [], text: '', started: performance.now(),
           ended: false, result: null, els: new Map() };
}

function ask(event) {
  event.preventDefault();
  if (page.search && !page.search.ended) {
    return;
  }
  const question = $('question').value.trim();
  if (!question) {
    return;
  }
  const id = 'q' + (++page.seq);
  page.search = newSearch(id, question);
  $('tree').replaceChildren();
  $('chain').textContent = '';
  $('verdicts').replaceChildren();
  setAnswer('running', '…', page.ws ? '' : 'connecting…');
  const message = JSON.stringify({
    type: 'ask', id, prompt: question,
    strategy: $('strategy').value,
    searchBudget: Number($('budget').value),
    maxTokens: Number($('max-tokens').value),
    temperature: Number($('temperature').value),
    // blank: a fresh seed each time (asking again explores anew); the one used is shown with the answer
    seed: $('seed').value === '' ? Math.floor(Math.random() * 2 ** 31) : Number($('seed').value),
  });
  if (page.ws) {
    page.ws.send(message);
  } else {
    page.pendingAsk = message;      // sent when the socket opens (the page may be faster than the handshake)
    if (!page.connecting) {
      connect();
    }
  }
  $('ask').disabled = true;
  $('cancel').disabled = false;
  page.timer = setInterval(updateStats, 250);
}

function cancel() {
  const s = page.search;
  if (s && !s.ended && page.pendingAsk) {
    page.pendingAsk = null;         // never sent: nothing to cancel on the server
    finish('cancelled');
    scheduleRender();
    return;
  }
  if (s && !s.ended && page.ws) {
    page.ws.send(JSON.stringify({ type: 'cancel', id: s.id }));
  }
}

function finish(how, detail) {
  const s = page.search;
  s.ended = true;
  clearInterval(page.timer);
  $('ask').disabled = false;
  $('cancel').disabled = true;
  if (how === 'done') {
    const r = s.result;
    if (r.answer != null) {
      setAnswer('done', r.answer, `${r.strategy}, budget ${r.searchBudget}, seed ${r.seed}` + (r.cutShort ? ' (cut short by the deadline)' : ''));
    } else {
      setAnswer('none', 'no \\boxed{} answer in the best chain', `${r.strategy}, budget ${r.searchBudget}, seed ${r.seed}`);
    }
  } else if (how === 'cancelled') {
    setAnswer('none', 'cancelled', '');
  } else {
    setAnswer('error', detail, '');
  }
  updateStats();
  addTurn(s, how, detail);
}

function setAnswer(state, text, note) {
  $('answer').dataset.state = state;
  $('answer').textContent = text;
  $('answer-note').textContent = note;
}

function addTurn(s, how, detail) {
  const turn = document.createElement('div');
  turn.className = 'turn' + (how === 'error' ? ' error' : '');
  const q = document.createElement('div');
  q.className = 'q';
  q.textContent = s.question;
  const a = document.createElement('div');
  a.className = 'a';
  if (how === 'done') {
    const b = document.createElement('b');
    b.textContent = s.result.answer ?? '(no answer)';
    a.append(b, ` · ${s.result.strategy} · ${s.result.usage.nodes} nodes`);
  } else {
    a.textContent = how === 'cancelled' ? 'cancelled' : detail;
  }
  turn.append(q, a);
  $('history').prepend(turn);
}

function updateStats() {
  const s = page.search;
  if (!s) return;
  const u = s.result && s.result.usage;
  const secs = u ? u.wallMs / 1000 : (performance.now() - s.started) / 1000;
  const nodes = u ? u.nodes : Math.max(0, s.nodes.size - 1);
  const tokens = u ? ` · ${u.generatedTokens} tokens · ${u.selfChecks} self-checks` : '';
  $('stats').textContent = `${nodes} nodes${tokens} · ${secs.toFixed(1)} s`;
}

// ---- the tree ------------------------------------------------------------------------------

function addNode(s, m) {
  const n = { id: m.node, parent: m.parent, depth: m.depth, text: m.text, terminal: m.terminal,
              answer: m.answer, score: null, check: null, pruned: false, folded: false, children: [] };
  s.nodes.set(n.id, n);
  if (n.parent && s.nodes.has(n.parent)) {
    s.nodes.get(n.parent).children.push(n);
  }
}

function scheduleRender() {
  if (!page.renderQueued) {
    page.renderQueued = true;
    requestAnimationFrame(() => { page.renderQueued = false; render(page.search); });
  }
}

/**
 * What is drawn below a node: its children, except that a folded node shows none and, with "collapse pruned",
 * the pruned children (and everything under them) stand together as one "+N pruned" marker.
 */
function shownChildren(n) {
  if (n.folded) return [];
  if (!$('collapse').checked) return n.children;
  const kept = n.children.filter((c) => !c.pruned || page.search.best.has(c.id));
  const dropped = n.children.length - kept.length;
  if (dropped === 0) return kept;
  n.prunedMarker = n.prunedMarker ?? { id: n.id + ':pruned', marker: true, parent: n.id, depth: n.depth + 1, children: [] };
  n.prunedMarker.count = dropped;
  return [...kept, n.prunedMarker];
}

const subtreeSize = (n) => n.children.reduce((sum, c) => sum + 1 + subtreeSize(c), 0);

/** Leaves take consecutive columns in depth-first order; a parent sits above the middle of its children. */
function layout(root) {
  let column = 0;
  let depth = 0;
  const shown = [];
  const place = (n) => {
    shown.push(n);
    const kids = n.marker ? [] : shownChildren(n);
    if (kids.length === 0) {
      n.x = column++;
    } else {
      kids.forEach(place);
      n.x = (kids[0].x + kids[kids.length - 1].x) / 2;
    }
    depth = Math.max(depth, n.depth);
  };
  place(root);
  return { columns: Math.max(1, column), depth, shown };
}

/** Self-check probabilities are coloured as they are; other scales (log-likelihoods, beam scores) are stretched to [0, 1]. */
function colourScale(nodes) {
  const scores = [...nodes.values()].map((n) => n.score).filter((v) => v != null);
  const lo = Math.min(...scores), hi = Math.max(...scores);
  const unit = scores.length && lo >= 0 && hi <= 1;
  return (v) => {
    if (v == null) return '#9aa3b5';
    const t = unit ? v : (hi - lo < 1e-9 ? 0.5 : (v - lo) / (hi - lo));
    return `hsl(${Math.round(120 * t)}, 60%, 44%)`;
  };
}

function render(s) {
  if (!s || !s.nodes.has('root')) return;
  const svg = $('tree');
  const { columns, depth, shown } = layout(s.nodes.get('root'));
  const visible = new Set(shown.map((n) => n.id));
  // the tree is laid out at its natural size and scaled by the zoom (the viewBox keeps the coordinates)
  const width = Math.max(($('tree-box').clientWidth - 2) / page.zoom, columns * DX + 2 * PAD);
  const height = Math.max(320 / page.zoom, (depth + 1) * DY + 2 * PAD);
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.style.width = width * page.zoom + 'px';
  svg.style.height = height * page.zoom + 'px';
  s.natural = { width: columns * DX + 2 * PAD, height: (depth + 1) * DY + 2 * PAD };
  const offset = (width - (columns - 1) * DX) / 2;
  const px = (n) => offset + n.x * DX;
  const py = (n) => PAD + n.depth * DY;
  const colour = colourScale(s.nodes);

  // edges first, so nodes are drawn over them
  for (const n of [...s.nodes.values(), ...shown.filter((m) => m.marker)]) {
    if (!n.parent || !s.nodes.has(n.parent)) continue;
    const p = s.nodes.get(n.parent);
    let edge = s.els.get('e:' + n.id);
    if (!edge) {
      edge = document.createElementNS(SVG, 'path');
      svg.prepend(edge);
      s.els.set('e:' + n.id, edge);
    }
    edge.style.display = visible.has(n.id) ? '' : 'none';
    if (!visible.has(n.id)) continue;
    const x1 = px(p), y1 = py(p), x2 = px(n), y2 = py(n), ym = (y1 + y2) / 2;
    edge.setAttribute('d', `M${x1},${y1} C${x1},${ym} ${x2},${ym} ${x2},${y2}`);
    edge.setAttribute('class', 'edge' + (s.best.has(n.id) && s.best.has(p.id) ? ' best' : '')
        + (n.pruned || n.marker ? ' pruned' : ''));
  }
  for (const n of s.nodes.values()) {
    let g = s.els.get(n.id);
    if (!g) {
      g = document.createElementNS(SVG, 'g');
      const c = document.createElementNS(SVG, 'circle');
      c.setAttribute('r', n.id === 'root' ? R + 3 : R);
      g.append(c);
      if (n.id === 'root') {
        const t = document.createElementNS(SVG, 'text');
        t.setAttribute('class', 'label');
        t.setAttribute('y', -R - 7);
        t.setAttribute('text-anchor', 'middle');
        t.textContent = 'question';
        g.append(t);
      }
      if (n.answer != null) {
        const t = document.createElementNS(SVG, 'text');
        t.setAttribute('class', 'answer-label');
        t.setAttribute('y', R + 14);
        t.setAttribute('text-anchor', 'middle');
        t.textContent = n.answer.length > 11 ? n.answer.slice(0, 10) + '…' : n.answer;
        g.append(t);
      }
      g.addEventListener('mouseenter', () => showTip(n, g));
      g.addEventListener('mouseleave', () => { $('tip').hidden = true; });
      // a click folds a subtree away (or brings it back)
      g.addEventListener('click', () => {
        if (n.children.length) { n.folded = !n.folded; scheduleRender(); }
      });
      svg.append(g);
      s.els.set(n.id, g);
    }
    g.style.display = visible.has(n.id) ? '' : 'none';
    if (!visible.has(n.id)) continue;
    g.setAttribute('transform', `translate(${px(n)},${py(n)})`);
    g.setAttribute('class', 'node' + (n.pruned ? ' pruned' : '') + (s.best.has(n.id) ? ' best' : '')
        + (n.terminal ? ' terminal' : '') + (n.folded ? ' folded' : ''));
    g.dataset.node = n.id;
    g.firstChild.setAttribute('fill', n.id === 'root' ? '#3756d6' : colour(n.score));
    let label = g.querySelector('.fold-count');
    if (n.folded && !label) {
      label = document.createElementNS(SVG, 'text');
      label.setAttribute('class', 'label fold-count');
      label.setAttribute('x', R + 4);
      label.setAttribute('y', 4);
      g.append(label);
    }
    if (label) label.textContent = n.folded ? '+' + subtreeSize(n) : '';
  }
  // the "+N pruned" markers
  for (const m of shown.filter((x) => x.marker)) {
    let g = s.els.get(m.id);
    if (!g) {
      g = document.createElementNS(SVG, 'g');
      g.setAttribute('class', 'fold');
      const r = document.createElementNS(SVG, 'rect');
      r.setAttribute('x', -22); r.setAttribute('y', -9); r.setAttribute('width', 44); r.setAttribute('height', 18);
      r.setAttribute('rx', 9);
      const t = document.createElementNS(SVG, 'text');
      t.setAttribute('text-anchor', 'middle');
      t.setAttribute('y', 4);
      g.append(r, t);
      svg.append(g);
      s.els.set(m.id, g);
    }
    g.style.display = '';
    g.setAttribute('transform', `translate(${px(m)},${py(m)})`);
    g.lastChild.textContent = `+${m.count} pruned`;
  }
  // markers no longer needed (collapse switched off, or a pruned node joined the best path)
  for (const [key, el] of s.els) {
    const id = key.startsWith('e:') ? key.slice(2) : key;
    if (id.endsWith(':pruned') && !visible.has(id)) el.style.display = 'none';
  }
  renderVerdicts(s);
}

/** The chosen chain, one step per line, each with the self-check's P(yes) on the chain up to that step. */
function renderVerdicts(s) {
  const list = $('verdicts');
  const steps = s.path.filter((id) => id !== 'root' && s.nodes.has(id)).map((id) => s.nodes.get(id));
  const key = steps.map((n) => `${n.id}:${n.check}`).join(' ');
  if (list.dataset.key === key) return;
  list.dataset.key = key;
  list.replaceChildren(...steps.map((n) => {
    const li = document.createElement('li');
    const v = document.createElement('span');
    v.className = 'verdict' + (n.check == null ? '' : n.check >= 0.5 ? ' yes' : ' no');
    v.textContent = n.check == null ? 'not checked' : (n.check >= 0.5 ? 'yes ' : 'no ') + n.check.toFixed(2);
    v.title = n.check == null ? 'this search asked no self-check of this step'
        : `the model's self-check: P(yes) = ${n.check.toFixed(3)} for the chain up to here`;
    const t = document.createElement('span');
    t.className = 'step';
    t.textContent = (n.text ?? '').trim();
    li.dataset.node = n.id;
    li.append(v, t);
    return li;
  }));
}

/** Zooms by `factor` (null: fits the whole tree into the box). */
function zoom(factor) {
  const s = page.search;
  if (factor == null) {
    const n = s && s.natural;
    page.zoom = n ? Math.min(1, ($('tree-box').clientWidth - 2) / n.width, 0.7 * window.innerHeight / n.height) : 1;
  } else {
    page.zoom = Math.min(4, Math.max(0.1, page.zoom * factor));
  }
  scheduleRender();
}

function showTip(n, g) {
  const tip = $('tip');
  const score = n.score == null ? 'not scored' : 'score ' + n.score.toFixed(3);
  tip.textContent = n.id === 'root'
      ? page.search.question
      : `${n.id} · depth ${n.depth} · ${score}${n.pruned ? ' · pruned' : ''}\n${n.text ?? ''}`;
  const box = $('tree-box').getBoundingClientRect();
  const at = g.getBoundingClientRect();
  tip.style.left = Math.min(at.left - box.left + $('tree-box').scrollLeft + 14, box.width - 200) + 'px';
  tip.style.top = (at.top - box.top + $('tree-box').scrollTop + 14) + 'px';
  tip.hidden = false;
}

// ---- wiring --------------------------------------------------------------------------------

$('ask-form').addEventListener('submit', ask);
$('cancel').addEventListener('click', cancel);
$('budget').addEventListener('input', () => { $('budget-value').textContent = $('budget').value; });
$('save-key').addEventListener('click', () => {
  localStorage.setItem('ponder-api-key', $('api-key').value.trim());
  loadOptions();
});
window.addEventListener('resize', scheduleRender);
$('collapse').addEventListener('change', scheduleRender);
$('zoom-in').addEventListener('click', () => zoom(1.25));
$('zoom-out').addEventListener('click', () => zoom(0.8));
$('zoom-fit').addEventListener('click', () => zoom(null));
$('tree-box').addEventListener('wheel', (e) => {
  if (e.ctrlKey) { e.preventDefault(); zoom(e.deltaY < 0 ? 1.1 : 0.9); }
}, { passive: false });
loadOptions();   // connects the WebSocket once the API answers
