// The OpenAI-compatible API through the official OpenAI JavaScript client (npm `openai`): every path it offers.
// Needs a running service (PONDER_URL); e2e/run.sh provides one with the embedded model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';

const BASE = process.env.PONDER_URL ?? 'http://127.0.0.1:8080';
const client = new OpenAI({ baseURL: `${BASE}/v1`, apiKey: process.env.PONDER_API_KEY ?? 'unused', maxRetries: 0,
  timeout: 5 * 60_000 });
const QUESTION = [{ role: 'user', content: 'What is 17*23?' }];

async function servedModel() {
  const models = [];
  for await (const m of client.models.list()) models.push(m.id);
  return models;
}

test('models list the served model and its search presets', async () => {
  const ids = await servedModel();
  assert.ok(ids.length >= 2, ids.join(', '));
  assert.ok(ids.slice(1).every((id) => id.startsWith(ids[0] + ':')), ids.join(', '));
  assert.ok(ids.includes(`${ids[0]}:greedy-1`), ids.join(', '));
});

test('a chat completion carries reasoning under both names and returns its seed', async () => {
  const [model] = await servedModel();
  const r = await client.chat.completions.create({ model: `${model}:bon-4`, messages: QUESTION, max_tokens: 120 });
  const m = r.choices[0].message;
  assert.equal(r.model, `${model}:bon-4`);
  assert.ok(m.content.length > 0);
  assert.equal(m.reasoning, m.reasoning_content);
  assert.match(r.system_fingerprint, /^seed-\d+$/);
  const again = await client.chat.completions.create({ model, messages: QUESTION, max_tokens: 120,
    search_budget: 1, strategy: 'best-of-n', seed: Number(r.system_fingerprint.slice(5)) });
  assert.equal(again.system_fingerprint, r.system_fingerprint, 'the seed goes back as it came');
});

test('a streamed chat completion: reasoning deltas, the answer, usage, through keep-alive comments', async () => {
  const [model] = await servedModel();
  const stream = await client.chat.completions.create({ model, messages: QUESTION, max_tokens: 120,
    reasoning_effort: 'low', stream: true, stream_options: { include_usage: true } });
  let reasoning = '';
  let content = '';
  let finish = null;
  let usage = null;
  for await (const chunk of stream) {
    if (chunk.usage) usage = chunk.usage;
    const c = chunk.choices[0];
    if (!c) continue;
    if (c.delta.reasoning) {
      assert.equal(c.delta.reasoning, c.delta.reasoning_content);
      reasoning += c.delta.reasoning;
    }
    if (c.delta.content) content += c.delta.content;
    if (c.finish_reason) finish = c.finish_reason;
  }
  assert.ok(reasoning.length > 0);
  assert.ok(content.length > 0);
  assert.ok(['stop', 'length'].includes(finish), String(finish));
  assert.ok(usage.completion_tokens > 0);
});

test('text completions, plain and streamed', async () => {
  const [model] = await servedModel();
  const r = await client.completions.create({ model, prompt: 'What is 5^10?', max_tokens: 120, seed: 3, search_budget: 1 });
  assert.equal(r.object, 'text_completion');
  assert.ok(r.choices[0].text.length > 0);
  const stream = await client.completions.create({ model, prompt: 'What is 5^10?', max_tokens: 120, seed: 3, search_budget: 1, stream: true });
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.text ?? '';
  assert.equal(text, r.choices[0].text, 'the same seed, the same chain, streamed');
});

test('parameters ponder cannot honour are refused by name', async () => {
  const [model] = await servedModel();
  await assert.rejects(client.chat.completions.create({ model, messages: QUESTION,
    tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }] }),
  (e) => e.status === 400 && e.param === 'tools' && /tools/.test(e.message));
  await assert.rejects(client.chat.completions.create({ model, messages: QUESTION, response_format: { type: 'json_object' } }),
    (e) => e.status === 400 && e.param === 'response_format');
  await assert.rejects(client.chat.completions.create({ model, messages: QUESTION, logprobs: true }),
    (e) => e.status === 400 && e.param === 'logprobs');
});
