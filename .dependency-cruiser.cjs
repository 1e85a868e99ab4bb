/**
 * The layer rules of README.md ("Design rules the code follows": layers), checked by dependency-cruiser on every
 * `npm test` (tests/architecture.test.ts) and by `npm run layers`. Violations that existed when the rules
 * were written are listed in .dependency-cruiser-known-violations.json (`npm run layers:baseline`
 * rewrites it); any other one fails. Since issue 12 that list is empty: keep it so.
 *
 * Type-only imports count (tsPreCompilationDeps): a view that imports a service's type depends on that
 * service as much as one that calls it. Paths are relative to the cruise's baseDir (the repository, or a
 * fixture tree in the test that proves the rules catch what they say).
 */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment:
        'server/domain holds pure rules: it imports only server/domain and packages. Nothing else of server/ ' +
        '(db, routes, services, worker, ...), no views, no connectors; connectors/types.ts is allowed for ' +
        'now, while the request document types it owns are shared by the status machine.',
      severity: 'error',
      from: { path: '^server/domain/' },
      to: {
        path: '^(server/|views/|connectors/)',
        pathNot: ['^server/domain/', '^connectors/types\\.ts$'],
      },
    },
    {
      name: 'views-no-services-or-db',
      comment: 'Views get plain props and a translator: they never import a service or the database.',
      severity: 'error',
      from: { path: '^views/' },
      to: { path: '^server/(services|db)/' },
    },
    {
      name: 'connectors-no-db-or-routes',
      comment: 'Connectors are created once from config and passed in: they know neither the database nor HTTP routes.',
      severity: 'error',
      from: { path: '^connectors/' },
      to: { path: '^server/(db|routes)/' },
    },
    {
      name: 'db-no-services-or-routes',
      comment: 'Queries sit below services and routes: server/db imports neither.',
      severity: 'error',
      from: { path: '^server/db/' },
      to: { path: '^server/(services|routes)/' },
    },
    {
      name: 'routes-and-worker-no-db',
      comment:
        'A route parses, calls one service, renders or redirects; a worker job calls services. Neither opens ' +
        'transactions nor imports queries. (The entry points server/main.ts and server/worker.ts are ' +
        'composition roots and may.)',
      severity: 'error',
      from: { path: '^server/(routes|worker)/' },
      to: { path: '^server/db/' },
    },
    {
      name: 'no-circular',
      comment: 'No import cycles in server/, views/ or connectors/: each module has one place in the layering.',
      severity: 'error',
      from: { path: '^(server|views|connectors)/' },
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'Every import resolves. Also a guard for the check itself: an import dependency-cruiser cannot ' + 'resolve is an edge no other rule sees.',
      severity: 'error',
      from: { path: '^(server|views|connectors)/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Packages with an `exports` map (hono/jsx, drizzle-orm/sqlite-core…) resolve as Node and tsc resolve them.
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
  },
};
