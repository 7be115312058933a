import { ExpiringCache } from './expiring-cache';

describe('ExpiringCache', () => {
  afterEach(() => jest.useRealTimers());

  it('forgets an entry once its time is up', () => {
    jest.useFakeTimers({ now: 0 });
    const cache = new ExpiringCache<string, number>(1000, 10);
    cache.set('a', 1);
    jest.setSystemTime(999);
    expect(cache.get('a')).toBe(1);
    jest.setSystemTime(1000);
    expect(cache.get('a')).toBeUndefined();
  });

  it('lets go of expired entries as new ones come, without waiting to be full', () => {
    jest.useFakeTimers({ now: 0 });
    const cache = new ExpiringCache<string, number>(1000, 10);
    cache.set('a', 1);
    cache.set('b', 2);
    jest.setSystemTime(1500);
    cache.set('c', 3);
    expect(cache.size).toBe(1);
  });

  it('drops the entry set longest ago when full', () => {
    const cache = new ExpiringCache<string, number>(60_000, 2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('a', 3);
    cache.set('c', 4);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([3, undefined, 4]);
  });

  it('loads a missing key once and shares the loaded value', () => {
    const cache = new ExpiringCache<string, Promise<number>>(60_000, 10);
    const load = jest.fn(() => Promise.resolve(7));
    const first = cache.getOrLoad('a', load);
    expect(cache.getOrLoad('a', load)).toBe(first);
    expect(load).toHaveBeenCalledTimes(1);
    cache.delete('a');
    void cache.getOrLoad('a', load);
    expect(load).toHaveBeenCalledTimes(2);
  });
});
