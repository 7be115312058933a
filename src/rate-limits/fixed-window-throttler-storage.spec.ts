import { FixedWindowThrottlerStorage } from './fixed-window-throttler-storage';

describe('FixedWindowThrottlerStorage', () => {
  afterEach(() => jest.useRealTimers());

  it('counts hits in a window, blocks past the limit for blockDuration, then starts a new window', async () => {
    jest.useFakeTimers({ now: 0 });
    const storage = new FixedWindowThrottlerStorage();
    const hit = () => storage.increment('posts:alice', 10_000, 2, 10_000, 'posts');
    expect(await hit()).toMatchObject({ totalHits: 1, isBlocked: false, timeToExpire: 10 });
    expect(await hit()).toMatchObject({ totalHits: 2, isBlocked: false });
    expect(await hit()).toMatchObject({ totalHits: 3, isBlocked: true, timeToBlockExpire: 10 });
    jest.setSystemTime(9_999);
    expect((await hit()).isBlocked).toBe(true);
    jest.setSystemTime(10_000);
    expect(await hit()).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('keeps keys and limits apart', async () => {
    const storage = new FixedWindowThrottlerStorage();
    await storage.increment('posts:alice', 10_000, 1, 10_000, 'posts');
    expect((await storage.increment('posts:bruno', 10_000, 1, 10_000, 'posts')).isBlocked).toBe(false);
    expect((await storage.increment('posts:alice', 10_000, 1, 10_000, 'typing')).isBlocked).toBe(false);
    expect((await storage.increment('posts:alice', 10_000, 1, 10_000, 'posts')).isBlocked).toBe(true);
  });
});
