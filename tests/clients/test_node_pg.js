// node-postgres (`pg`) against MindooDB (issue 5): simple queries without values, unnamed
// extended queries with untyped text parameters, a named prepared statement, binary results,
// BEGIN/COMMIT/ROLLBACK checked through ReadyForQuery's status, an error followed by a
// working statement, jsonb parsed into objects, LISTEN mindoo_changes through
// `client.on('notification')` while the listener sits idle (issue 4), and TLS.
'use strict';

const assert = require('assert');
const fs = require('fs');
const { Client } = require('pg');

const base = {
  host: process.env.MDB_HOST,
  port: Number(process.env.MDB_PORT),
  user: process.env.MDB_USER,
  password: process.env.MDB_PASSWORD,
  database: process.env.MDB_DB,
};

// Long enough for a loaded CI machine; a passing run never waits for it.
const PATIENCE_MS = 60000;

// node-pg exposes the transaction status only on the ReadyForQuery message.
function trackStatus(client) {
  const state = { status: null };
  client.connection.on('readyForQuery', (msg) => { state.status = msg.status; });
  return state;
}

async function main() {
  const client = new Client(base);
  await client.connect();
  const state = trackStatus(client);
  const token = (await client.query("SELECT mindoo.create_key('default') AS token")).rows[0].token;
  await client.query('CREATE TABLE docs ()');
  const inserted = await client.query(
    'INSERT INTO docs (id, data) VALUES ($1, $2), ($3, $4)',
    ['acme', { name: 'ACME', n: 1 }, 'globex', { name: 'Globex', n: 2 }],
  );
  assert.strictEqual(inserted.command, 'INSERT');
  assert.strictEqual(inserted.rowCount, 2);

  // Select by a JSON field; jsonb arrives as an object.
  const found = await client.query('SELECT id, data FROM docs WHERE data->>$1 = $2', ['name', 'Globex']);
  assert.deepStrictEqual(found.rows, [{ id: 'globex', data: { name: 'Globex', n: 2 } }]);
  const named = { name: 'by-id', text: 'SELECT data FROM docs WHERE id = $1' };
  for (const id of ['acme', 'globex', 'acme']) {
    const res = await client.query({ ...named, values: [id] });
    assert.strictEqual(res.rows[0].data.name, id === 'acme' ? 'ACME' : 'Globex');
  }
  const binary = await client.query({ text: 'SELECT seq FROM docs WHERE id = $1', values: ['acme'], binary: true });
  assert.ok(Buffer.isBuffer(binary.rows[0].seq) || typeof binary.rows[0].seq === 'string');
  const counted = await client.query('SELECT count(*) FROM docs');
  assert.strictEqual(counted.fields[0].name, 'count');
  assert.strictEqual(counted.rows[0].count, '2'); // int8 as string

  // Transactions.
  await client.query('BEGIN');
  assert.strictEqual(state.status, 'T');
  await client.query('INSERT INTO docs (id, data) VALUES ($1, $2)', ['gone', {}]);
  await client.query('ROLLBACK');
  assert.strictEqual(state.status, 'I');
  await client.query('BEGIN');
  await client.query('INSERT INTO docs (id, data) VALUES ($1, $2)', ['kept', {}]);
  await client.query('COMMIT');
  assert.strictEqual(state.status, 'I');
  const ids = (await client.query('SELECT id FROM docs ORDER BY id')).rows.map((r) => r.id);
  assert.deepStrictEqual(ids, ['acme', 'globex', 'kept']);

  // An error inside a block, then ROLLBACK and a working statement.
  await client.query('BEGIN');
  await assert.rejects(client.query('SELECT * FROM nosuch'), (err) => err.code === '42P01');
  assert.strictEqual(state.status, 'E');
  await client.query('ROLLBACK');
  assert.strictEqual((await client.query('SELECT 2 AS two')).rows[0].two, 2);
  // Several statements in one simple query.
  const multi = await client.query('SELECT 1 AS a; SELECT 2 AS b');
  assert.strictEqual(multi.length, 2);

  await checkListen(client);
  await client.end();

  // TLS with a verified certificate.
  const tls = new Client({
    ...base,
    host: process.env.MDB_TLS_HOST,
    ssl: { ca: fs.readFileSync(process.env.MDB_CA), servername: process.env.MDB_TLS_HOST },
  });
  await tls.connect();
  assert.ok(tls.connection.stream.encrypted, 'TLS in use');
  await tls.query(`SET mindoo.keys = '${token}'`);
  const overTls = await tls.query('SELECT data FROM docs WHERE id = $1', ['acme']);
  assert.deepStrictEqual(overTls.rows[0].data, { name: 'ACME', n: 1 });
  await tls.end();
  console.log('node-pg ok');
}

// LISTEN mindoo_changes on a second connection, which then only waits: every commit of the
// writer reaches it as a `table:seq` notification from pid 0 (the server).
async function checkListen(writer) {
  await writer.query('CREATE TABLE events ()');
  const listener = new Client(base);
  await listener.connect();
  const payloads = [];
  const heard = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`notifications: ${payloads}`)), PATIENCE_MS);
    listener.on('notification', (msg) => {
      assert.strictEqual(msg.channel, 'mindoo_changes');
      assert.strictEqual(msg.processId, 0);
      payloads.push(msg.payload);
      if (msg.payload === 'events:2') {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  await listener.query('LISTEN mindoo_changes');
  await writer.query('INSERT INTO events (id, data) VALUES ($1, $2)', ['e1', {}]);
  await writer.query('INSERT INTO events (id, data) VALUES ($1, $2)', ['e2', {}]);
  await heard;
  assert.ok(payloads.every((p) => /^events:\d+$/.test(p)), `payloads ${payloads}`);
  await listener.end();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
