import fc from 'fast-check';
import { Fixtures } from '../authorization/fixtures';
import { createTestApp, type TestApp } from '../support/test-app';
import { FUZZ_RUNS, FUZZ_SEED, FUZZ_TIMEOUT_MS, fuzzParameters } from './arbitraries';
import { operationsOf, RequestGenerator, type FuzzRequest, type OpenApiDocument, type Operation } from './openapi-requests';

/** Time a request may take before the suite calls the server stuck (a bound, not a measurement). */
const REQUEST_BOUND_MS = 20_000;

describe(`HTTP fuzz: every route of the OpenAPI document (seed ${FUZZ_SEED}, ${FUZZ_RUNS} runs a route)`, () => {
  let t: TestApp;
  let fx: Fixtures;
  let operations: Operation[];
  let generator: RequestGenerator;

  beforeAll(async () => {
    t = await createTestApp();
    fx = await Fixtures.create(t);
    const document = (await t.http().get('/api/docs-json').expect(200)).body as OpenApiDocument;
    operations = operationsOf(document);
    const { threadId, postId } = await fx.thread();
    const knownIds = [fx.topicId, threadId, postId, await fx.flaggedPost(), await fx.session('live'), await fx.poll(), await fx.practice()];
    knownIds.push(fx.users.participant.user.id, fx.users.moderator.user.id, (await fx.t.metropolis('nantes-metropole')).id);
    generator = new RequestGenerator(document, knownIds);
  });
  afterAll(() => t.close());

  function send(operation: Operation, request: FuzzRequest) {
    const call = t.http()[operation.method](request.url).timeout(REQUEST_BOUND_MS);
    for (const [name, value] of Object.entries(request.headers)) void call.set(name, value);
    if (request.actor === 'participant' || request.actor === 'moderator') void call.set('Authorization', fx.users[request.actor].auth);
    if (request.actor === 'garbage') void call.set('Authorization', 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.');
    if (request.body === undefined) return call;
    if (!request.headers['Content-Type']) void call.set('Content-Type', 'application/json');
    return call.send(request.body);
  }

  it('covers every route', () => {
    // the OpenAPI document is the list: a route added by anyone is fuzzed without a line here
    expect(operations.length).toBeGreaterThanOrEqual(48);
  });

  it(
    'answers every generated request without a 5xx, and keeps answering',
    async () => {
      const failures: string[] = [];
      for (const operation of operations) {
        const label = `${operation.method.toUpperCase()} ${operation.path}`;
        // every route is fuzzed even when one fails, so that one run lists them all
        await fc
          .assert(
            fc.asyncProperty(generator.requests(operation), async (request) => {
              const response = await send(operation, request);
              if (response.status >= 500) {
                throw new Error(`${label} answered ${response.status} to ${request.url} as ${request.actor}: ${response.text.slice(0, 300)}`);
              }
            }),
            fuzzParameters(label),
          )
          .catch((error: Error) => failures.push(error.message));
        // between batches: the server still answers, so the event loop is not stuck
        await t.http().get('/api/health').timeout(REQUEST_BOUND_MS).expect(200);
      }
      expect(failures).toEqual([]);
    },
    FUZZ_TIMEOUT_MS,
  );
});
