import { describe, expect, it } from 'vitest';
import { firstScreenFiles } from './bundle.bench.js';

describe('firstScreenFiles', () => {
  it('counts index.html, what it names and the entry’s static imports, not the import() chunks', () => {
    const html =
      '<script type="module" src="./assets/index-1.js"></script>' +
      '<link rel="modulepreload" href="./assets/vendor-2.js"><link rel="stylesheet" href="./assets/style-3.css">';
    const manifest = {
      'index.html': {
        file: 'assets/index-1.js',
        isEntry: true,
        imports: ['_vendor-2.js', '_shell-4.js'],
        dynamicImports: ['flows/apply.tsx'],
      },
      '_vendor-2.js': { file: 'assets/vendor-2.js' },
      '_shell-4.js': { file: 'assets/shell-4.js', css: ['assets/shell-4.css'], imports: ['_vendor-2.js'] },
      'flows/apply.tsx': { file: 'assets/apply-5.js', imports: ['_vendor-2.js'] },
    };
    expect(firstScreenFiles(html, manifest)).toEqual([
      'assets/index-1.js',
      'assets/shell-4.css',
      'assets/shell-4.js',
      'assets/style-3.css',
      'assets/vendor-2.js',
      'index.html',
    ]);
  });
});
