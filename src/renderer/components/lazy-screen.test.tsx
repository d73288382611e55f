/** On-demand screens: the fallback while the chunk loads, the screen itself once it is there. */
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { initI18n } from '../i18n/index.js';
import { lazyScreen } from './lazy-screen.js';

initI18n();

function Hello({ name }: { name: string }) {
  return <p data-testid="hello">hello {name}</p>;
}

describe('lazyScreen', () => {
  it('shows the calm fallback until the chunk is there, then the screen without suspending', async () => {
    let loads = 0;
    const s = lazyScreen(() => {
      loads++;
      return Promise.resolve(Hello);
    });
    const before = renderToStaticMarkup(<s.Screen name="kiosk" />);
    expect(before).toContain('data-testid="screen-opening"');
    expect(before).not.toContain('hello');
    await s.preload();
    await s.preload();
    expect(renderToStaticMarkup(<s.Screen name="kiosk" />)).toBe('<p data-testid="hello">hello kiosk</p>');
    expect(loads).toBe(1);
  });

  it('tries a failed load again on the next preload', async () => {
    let attempt = 0;
    const s = lazyScreen(() =>
      ++attempt === 1 ? Promise.reject(new Error('gone')) : Promise.resolve(Hello),
    );
    await s.preload();
    expect(renderToStaticMarkup(<s.Screen name="a" />)).toContain('screen-opening');
    await s.preload();
    expect(attempt).toBe(2);
    expect(renderToStaticMarkup(<s.Screen name="a" />)).toContain('hello a');
  });
});
