/**
 * kefu's layers, checked by `npm run layers` (part of `npm test`):
 *   bot/ (edge) > dialogs/ > domain/ > intents/ > rules/ > lib/
 * A folder may import its own folder and any folder to its right, never one to its left.
 * botbuilder and restify (and the SDK's connector) appear only in bot/ and dialogs/; storage
 * drivers only in bot/; botbuilder-dialogs only part by part, through dialogs/sdk.ts. There is no
 * exceptions list.
 */
const LAYERS = ['bot', 'dialogs', 'domain', 'intents', 'rules', 'lib'];

const upward = LAYERS.slice(1).map((layer, i) => ({
  name: `${layer}-imports-upward`,
  comment: `${layer}/ may import only ${LAYERS.slice(i + 2).join(', ') || 'itself'} (layers: ${LAYERS.join(' > ')})`,
  severity: 'error',
  from: { path: `^${layer}/` },
  to: { path: `^(${LAYERS.slice(0, i + 1).join('|')})/` },
}));

module.exports = {
  forbidden: [
    ...upward,
    {
      name: 'sdk-outside-edge',
      comment: 'botbuilder, restify and the Bot Framework connector belong to bot/ and dialogs/ only',
      severity: 'error',
      from: { path: '^(domain|intents|rules|lib)/' },
      to: { path: '(^|/)node_modules/(botbuilder|botframework-|restify)' },
    },
    {
      name: 'storage-outside-edge',
      comment: 'storage drivers (SQLite, PostgreSQL, Redis) belong to bot/ only',
      severity: 'error',
      from: { path: '^(dialogs|domain|intents|rules|lib)/' },
      to: { path: '(^|/)node_modules/(better-sqlite3|pg|ioredis)/' },
    },
    {
      name: 'dialogs-sdk-index',
      comment:
        "botbuilder-dialogs' index loads every prompt and the Recognizers-Text cultures at start-up: import its parts through dialogs/sdk.ts",
      severity: 'error',
      from: { path: '^(bot|dialogs|domain|intents|rules|lib)/' },
      to: { path: '(^|/)node_modules/botbuilder-dialogs/lib/index\\.(js|d\\.ts)$' },
    },
    {
      name: 'no-unresolvable',
      comment: 'every import resolves to a file or an installed package',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    preserveSymlinks: true,
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
    detectJSDocImports: true,
    parser: 'tsc',
  },
};
