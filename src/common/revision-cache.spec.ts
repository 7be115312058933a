import { RevisionCache } from './revision-cache';

describe('RevisionCache', () => {
  const cache = () => new RevisionCache<string>(12, (value) => value.length);

  it('serves a value only for the revision it was made from', () => {
    const values = cache();
    values.set('fil', 3, 'abc');
    expect(values.get('fil', 3)).toBe('abc');
    expect(values.get('fil', 4)).toBeUndefined();
    values.set('fil', 4, 'abd');
    expect(values.get('fil', 3)).toBeUndefined();
    expect(values.get('fil', 4)).toBe('abd');
  });

  it('lets the least recently read values go beyond its size, and keeps none larger than a quarter of it', () => {
    const values = cache();
    values.set('a', 1, 'aaa');
    values.set('b', 1, 'bbb');
    values.set('c', 1, 'ccc');
    values.get('a', 1);
    values.set('d', 1, 'ddd');
    values.set('e', 1, 'eee');
    expect(['a', 'b', 'c', 'd', 'e'].filter((key) => values.get(key, 1))).toEqual(['a', 'c', 'd', 'e']);
    values.set('big', 1, 'quatre');
    expect(values.get('big', 1)).toBeUndefined();
  });

  it('makes a value only when none is kept for the revision', async () => {
    const values = cache();
    const make = jest.fn(() => Promise.resolve('abc'));
    expect(await values.getOrMake('fil', 1, make)).toBe('abc');
    expect(await values.getOrMake('fil', 1, make)).toBe('abc');
    expect(make).toHaveBeenCalledTimes(1);
    await values.getOrMake('fil', 2, make);
    expect(make).toHaveBeenCalledTimes(2);
  });
});
