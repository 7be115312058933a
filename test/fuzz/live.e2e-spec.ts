import { ModulesContainer } from '@nestjs/core';
import { GATEWAY_METADATA, MESSAGE_METADATA } from '@nestjs/websockets/constants';
import { getMetadataStorage } from 'class-validator';
import fc from 'fast-check';
import { Fixtures } from '../authorization/fixtures';
import { closeAllClients, connect, raw, type LiveClient } from '../live/live-client';
import { createTestApp, type TestApp } from '../support/test-app';
import { anyJson, FUZZ_RUNS, FUZZ_SEED, FUZZ_TIMEOUT_MS, fuzzParameters, nastyString, uuid } from './arbitraries';

/** Events the server has no handler for, some named after the prototype's members. */
const UNKNOWN_EVENTS = ['post:delete', 'admin:promote', '__proto__', 'constructor', 'toString', 'hasOwnProperty'];

interface LiveEvent {
  name: string;
  /** The fields of the payload's DTO, from its class-validator rules. */
  fields: string[];
}

/** Every event a gateway of the app subscribes to, with its payload's fields: events added later are fuzzed too. */
function liveEventsOf(t: TestApp): LiveEvent[] {
  const events: LiveEvent[] = [];
  for (const module of t.app.get(ModulesContainer).values()) {
    for (const wrapper of module.providers.values()) {
      const gateway = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!gateway || typeof gateway !== 'function' || !Reflect.getMetadata(GATEWAY_METADATA, gateway)) continue;
      for (const method of Object.getOwnPropertyNames(gateway.prototype)) {
        const handler = (gateway.prototype as Record<string, unknown>)[method];
        const name = typeof handler === 'function' ? (Reflect.getMetadata(MESSAGE_METADATA, handler) as string | undefined) : undefined;
        if (!name) continue;
        const parameterTypes = (Reflect.getMetadata('design:paramtypes', gateway.prototype, method) as unknown[] | undefined) ?? [];
        const fields = parameterTypes.flatMap((type) =>
          typeof type === 'function'
            ? getMetadataStorage()
                .getTargetValidationMetadatas(type, '', true, false)
                .map((rule) => rule.propertyName)
            : [],
        );
        events.push({ name, fields: [...new Set(fields)] });
      }
    }
  }
  return events;
}

/** Nested `depth` levels: deep enough to be refused, shallow enough for the client library to encode. */
const nestedValue = fc.constantFrom(40, 1_000).map((depth) => {
  let value: unknown = 'x';
  for (let level = 0; level < depth; level += 1) value = level % 2 ? [value] : { a: value };
  return value;
});

describe(`live fuzz: every event of the gateways and unknown ones (seed ${FUZZ_SEED}, ${FUZZ_RUNS} runs an event)`, () => {
  let t: TestApp;
  let sockets: Record<'participant' | 'moderator', LiveClient>;
  let knownIds: string[];
  let events: LiveEvent[];

  beforeAll(async () => {
    t = await createTestApp();
    const fx = await Fixtures.create(t);
    const { threadId, postId } = await fx.thread();
    knownIds = [threadId, postId, await fx.session('live'), await fx.poll(), fx.topicId];
    sockets = { participant: await connect(t.url, fx.users.participant.token), moderator: await connect(t.url, fx.users.moderator.token) };
    events = liveEventsOf(t);
  });
  afterAll(async () => {
    closeAllClients();
    await t.close();
  });

  function payloads(event: LiveEvent): fc.Arbitrary<unknown[]> {
    const leaf = fc.oneof(fc.constantFrom(...knownIds), uuid, nastyString, fc.integer(), fc.integer({ min: 0, max: 3 }), anyJson, nestedValue);
    const shaped = event.fields.length ? fc.record(Object.fromEntries(event.fields.map((field) => [field, leaf])), { requiredKeys: [] }) : anyJson;
    const payload = fc.oneof(
      { weight: 6, arbitrary: shaped },
      { weight: 1, arbitrary: anyJson },
      { weight: 1, arbitrary: nestedValue },
      {
        weight: 1,
        arbitrary: shaped.map((value) => JSON.parse(`{"__proto__":{"role":"admin"},"constructor":{},"x":${JSON.stringify(value)}}`) as unknown),
      },
    );
    // sometimes several arguments before the ack, as a confused client sends them
    return fc.oneof({ weight: 5, arbitrary: payload.map((value) => [value]) }, { weight: 1, arbitrary: fc.array(anyJson, { maxLength: 3 }) });
  }

  it('discovers the events from the gateways', () => {
    expect(events.map((event) => event.name)).toEqual(expect.arrayContaining(['post:create', 'thread:subscribe', 'session:join', 'poll:vote']));
  });

  it(
    'answers every generated event with an ack that is never internal, keeps the socket, and keeps answering',
    async () => {
      const failures: string[] = [];
      for (const event of [...events, ...UNKNOWN_EVENTS.map((name) => ({ name, fields: [] }))]) {
        await fc
          .assert(
            fc.asyncProperty(payloads(event), fc.constantFrom('participant', 'moderator'), async (args, who) => {
              const socket = sockets[who];
              const ack = await raw(socket, event.name, ...args);
              if (!ack || typeof ack !== 'object' || (!ack.ok && ack.error.code === 'internal')) {
                throw new Error(`${event.name} as ${who} answered ${JSON.stringify(ack)}`);
              }
              if (!socket.connected) throw new Error(`${event.name} as ${who} lost the connection`);
            }),
            fuzzParameters(`live ${event.name}`),
          )
          .catch((error: Error) => failures.push(error.message));
        await t.http().get('/api/health').timeout(20_000).expect(200);
      }
      expect(failures).toEqual([]);
    },
    FUZZ_TIMEOUT_MS,
  );
});
