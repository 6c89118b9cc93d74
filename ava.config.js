// Browser test files each own a Chromium: run few files at once (2 cores here),
// each in its own process so a leaked browser dies with its file.
export default {
  files: ['test/**/*.test.ts', '!test/helpers/**', '!test/fixtures/**'],
  typescript: {
    rewritePaths: { 'test/': 'dist/test/' },
    compile: false,
  },
  concurrency: Number(process.env.AVA_CONCURRENCY ?? 2),
  workerThreads: false,
  timeout: '60s',
};
