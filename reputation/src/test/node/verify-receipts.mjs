// An independent verifier of a receipts export (reputation/RECEIPTS.md), written with Node's
// built-in modules only, so a receipt sealed by the Java server is checked by a second
// implementation of JCS (RFC 8785), SHA-256, Ed25519 and JavaScript's own rendering of values in
// signing strings (protocol facts §2.2-2.3).
//
//   node verify-receipts.mjs FILE.jsonl [--server-key PEM_FILE]
//
// Prints one line per problem, then "OK: n receipts ..." or "FAILED: k of n receipts bad ...".
// Exit status: 0 when everything verifies, 1 when anything is wrong, 2 for unusable input.

import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const file = args[0];
const keyFlag = args.indexOf('--server-key');
if (!file || (keyFlag >= 0 && !args[keyFlag + 1])) {
  console.error('usage: node verify-receipts.mjs FILE.jsonl [--server-key PEM_FILE]');
  process.exit(2);
}
const expectedServer = keyFlag >= 0 ? createPublicKey(readFileSync(args[keyFlag + 1], 'utf8')) : null;

// RFC 8785 for the values JSON.parse produces: members sorted by UTF-16 code units (the default
// sort order of JavaScript strings), primitives as JSON.stringify writes them, which is what the
// RFC specifies for numbers and strings.
function jcs(value) {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new Error('a non-finite number has no canonical form');
  }
  if (value === null || typeof value !== 'object') {
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return '[' + value.map(jcs).join(',') + ']';
  }
  return '{' + Object.keys(value).sort()
    .map((key) => JSON.stringify(key) + ':' + jcs(value[key]))
    .join(',') + '}';
}

function without(object, ...names) {
  const copy = { ...object };
  for (const name of names) delete copy[name];
  return copy;
}

const sha256 = (text) => createHash('sha256').update(text, 'utf8').digest('hex');

// An agent id is derived from the canonical PEM of the key (what the Java server hashes).
function keyAndId(pem) {
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 key');
  return { key, id: '@' + sha256(key.export({ type: 'spki', format: 'pem' })).slice(0, 16) };
}

const verifies = (key, text, signature) =>
  typeof signature === 'string' &&
  verify(null, Buffer.from(text, 'utf8'), key, Buffer.from(signature, 'base64'));

// `${value || ''}`: the reference's or-empty rendering, here in JavaScript itself.
const orEmpty = (value) => `${value || ''}`;

function checkReceipt(r, serverKey, serverId) {
  const problems = [];
  const keys = {};
  for (const [owner, pem] of Object.entries(r.pubkeys ?? {})) {
    try {
      const { key, id } = keyAndId(pem);
      if (id !== owner) problems.push(`pubkeys[${owner}] is the key of ${id}`);
      else keys[owner] = key;
    } catch (e) {
      problems.push(`pubkeys[${owner}] is not an Ed25519 key`);
    }
  }
  for (const party of [r.from, r.to]) {
    if (!keys[party]) problems.push(`no usable key for ${party}`);
  }
  const party = (signer, member, text) => {
    if (signer !== r.from && signer !== r.to) problems.push(`${member}: ${signer} is not a party`);
    else if (keys[signer] && !verifies(keys[signer], text, r[member])) {
      problems.push(`${member} does not verify for ${signer}`);
    }
  };
  party(r.from, 'proposal_sig', [r.to, r.task, orEmpty(r.amount), orEmpty(r.currency),
    orEmpty(r.payment_code), orEmpty(r.expires), orEmpty(r.elo_stake)].join('|'));
  party(r.to, 'accept_sig',
    `ACCEPT|${r.proposal_id}|${orEmpty(r.accept_payment_code)}|${orEmpty(r.accept_elo_stake)}`);
  if (r.type === 'COMPLETE') {
    party(r.completed_by, 'completion_sig', `COMPLETE|${r.proposal_id}|${orEmpty(r.proof)}`);
  } else if (r.type === 'DISPUTE') {
    party(r.disputed_by, 'dispute_sig', `DISPUTE|${r.proposal_id}|${r.reason}`);
    const contested = r.contested_by !== null;
    if (contested !== (r.settlement === 'mutual')) problems.push('settlement does not match the contest');
    if (contested) {
      if (r.contested_by === r.disputed_by) problems.push('contested by the disputing party');
      party(r.contested_by, 'contest_sig', `DISPUTE|${r.proposal_id}|${r.contest_reason}`);
    }
  } else {
    problems.push(`unknown type ${r.type}`);
  }
  let hash;
  try {
    hash = sha256(jcs(without(r, 'hash', 'server_sig')));
  } catch (e) {
    problems.push(`no canonical form: ${e.message}`);
  }
  if (hash !== undefined && hash !== r.hash) problems.push(`hash does not match (computed ${hash})`);
  if (serverKey) {
    if (r.server !== serverId) problems.push(`sealed by ${r.server}, not ${serverId}`);
    else if (!verifies(serverKey, jcs(without(r, 'server_sig')), r.server_sig)) {
      problems.push('server_sig does not verify');
    }
  }
  return problems;
}

// A test tool: the file is read whole (the Java verifier is the one that streams). The HEAD names
// the agent and the server key, and it is the last line: look at it first.
let lines;
try {
  lines = readFileSync(file, 'utf8').split('\n');
} catch (e) {
  console.error(`cannot read ${file}: ${e.message}`);
  process.exit(2);
}
const lastLine = lines.filter((line) => line.trim() !== '').at(-1) ?? '';
let head = null;
try {
  const last = JSON.parse(lastLine);
  if (last && last.type === 'HEAD') head = last;
} catch (e) {
  // cut short: reported below
}
const fileProblems = [];
if (!head) fileProblems.push('no HEAD line at the end: the file was cut short');
const headKey = head ? keyAndId(head.server_pubkey) : null;
if (headKey && headKey.id !== head.server) fileProblems.push('HEAD server does not match server_pubkey');
const serverKey = expectedServer ?? headKey?.key ?? null;
const serverId = serverKey ? keyAndId(serverKey.export({ type: 'spki', format: 'pem' })).id : null;
const agent = head?.agent ?? null;

let receipts = 0;
let bad = 0;
let chainCount = 0;
let lastHash = null;
const seen = new Set();
for (const [index, line] of lines.entries()) {
  const lineNumber = index + 1;
  if (line.trim() === '') continue;
  let r;
  try {
    r = JSON.parse(line);
  } catch (e) {
    receipts++;
    bad++;
    console.log(`line ${lineNumber}: not valid JSON`);
    continue;
  }
  if (r.type === 'HEAD') continue;
  receipts++;
  const problems = checkReceipt(r, serverKey, serverId);
  if (seen.has(r.proposal_id)) problems.push(`proposal ${r.proposal_id} is settled twice`);
  seen.add(r.proposal_id);
  if (agent) {
    if (r.from !== agent && r.to !== agent) {
      problems.push(`does not involve ${agent}`);
    } else {
      chainCount++;
      const prev = r.prev?.[agent];
      if (prev !== lastHash) problems.push(`chain broken: prev[${agent}] is ${prev}, expected ${lastHash}`);
      lastHash = r.hash;
    }
  }
  if (problems.length > 0) {
    bad++;
    console.log(`line ${lineNumber} (${r.proposal_id}): ${problems.join('; ')}`);
  }
}

if (head) {
  if (serverKey && !verifies(serverKey, jcs(without(head, 'server_sig')), head.server_sig)) {
    fileProblems.push('HEAD server_sig does not verify');
  }
  if (head.count !== chainCount) fileProblems.push(`HEAD counts ${head.count}, the file has ${chainCount}`);
  if (head.head !== lastHash) fileProblems.push(`HEAD names ${head.head}, the chain ends at ${lastHash}`);
}
for (const problem of fileProblems) console.log(`file: ${problem}`);
if (bad === 0 && fileProblems.length === 0) {
  console.log(`OK: ${receipts} receipts, chain of ${agent} intact, head ${head.head}`);
  process.exit(0);
}
console.log(`FAILED: ${bad} of ${receipts} receipts bad, ${fileProblems.length} problems with the file`);
process.exit(1);
