import { awscdk, javascript, release, DependencyType, JsonFile, ReleasableCommits, TextFile } from 'projen';

/**
 * The oldest aws-cdk-lib the library supports (the peer range starts here).
 * Why this version: see README "Supported versions". The build itself runs on CDK_DEV_VERSION.
 */
const CDK_MIN_VERSION = '2.170.0';
const CDK_DEV_VERSION = '2.276.0';
/**
 * The oldest constructs the library supports: the oldest that CDK_MIN_VERSION itself accepts
 * (`npm view aws-cdk-lib@2.170.0 peerDependencies` is `constructs: ^10.0.0`). A higher floor makes an app
 * pinned to an older constructs fail to install with ERESOLVE; the consumer test checks both ends.
 */
const CONSTRUCTS_MIN_VERSION = '10.0.0';
/** The constructs the build uses (CDK_DEV_VERSION needs ^10.5.0). */
const CONSTRUCTS_DEV_VERSION = '10.8.1';
/**
 * The Node.js that development and CI run on: scripts/node22.sh installs it from the npm registry
 * (`node-<platform>-<arch>`) when the machine has another major version. Written to .node-version, which
 * nvm, fnm, volta and most CI runners read as well.
 */
const NODE_VERSION = '22.23.5';

/**
 * `githubRelease` is an option of projen's Release component that the project options do not declare; the
 * project hands all of its options to Release. Without GitHub there is no GitHub release to create.
 */
const releaseComponentOptions: Pick<release.ReleaseOptions, 'githubRelease'> = { githubRelease: false };

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-connect-security-profiles',
  description:
    'AWS CDK L2 constructs for Amazon Connect security profiles with hierarchy-based access control, live reconciliation and drift remediation.',
  author: 'cdk-connect-security-profiles contributors',
  authorAddress: 'maintainers@cdk-connect-security-profiles.dev',
  repositoryUrl: 'https://github.com/cdk-connect-security-profiles/cdk-connect-security-profiles.git',
  homepage: 'https://github.com/cdk-connect-security-profiles/cdk-connect-security-profiles#readme',
  bugsUrl: 'https://github.com/cdk-connect-security-profiles/cdk-connect-security-profiles/issues',
  license: 'Apache-2.0',
  keywords: [
    'awscdk',
    'aws-cdk',
    'cdk',
    'amazon-connect',
    'connect',
    'security-profile',
    'hierarchy-based-access-control',
    'drift',
  ],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  cdkVersion: CDK_MIN_VERSION,
  constructsVersion: CONSTRUCTS_MIN_VERSION,
  jsiiVersion: '~6.0.0',
  // Released the projen way, without GitHub workflows (the project has no GitHub repository to run them in):
  // `npx projen release` bumps the version from the conventional commits since the last tag, builds every
  // package into dist/ and restores the version; `npx projen publish:<npm|pypi|maven|nuget|go>` hands dist/ to
  // publib, each with its registry's credentials from the environment. A GitHub release workflow (`github:
  // true`) would run exactly these tasks. See README "Releasing".
  github: true,
  buildWorkflow: false,
  pullRequestTemplate: false,
  depsUpgrade: false,
  autoMerge: false,
  githubOptions: { mergify: false, pullRequestLint: false },
  workflowNodeVersion: NODE_VERSION,
  jsiiReleaseVersion: '^0.2.1061',
  release: true,
  releaseToNpm: true,
  publishTasks: true,
  releasableCommits: ReleasableCommits.featuresAndFixes(),
  ...releaseComponentOptions,
  stability: 'experimental',
  // `engines`: the Node.js the library is built and tested on (Node.js 20 reached its end of life in April 2026)
  minNodeVersion: '22.0.0',
  // the build uses CDK_DEV_VERSION (below), not a pinned copy of the peer minimum
  peerDependencyOptions: { pinnedDevDependency: false },

  publishToPypi: {
    distName: 'cdk-connect-security-profiles',
    module: 'cdk_connect_security_profiles',
  },
  publishToMaven: {
    javaPackage: 'io.github.cdkconnectsecurityprofiles',
    mavenGroupId: 'io.github.cdk-connect-security-profiles',
    mavenArtifactId: 'cdk-connect-security-profiles',
  },
  publishToNuget: {
    dotNetNamespace: 'CdkConnectSecurityProfiles',
    packageId: 'CdkConnectSecurityProfiles',
  },
  publishToGo: {
    moduleName: 'github.com/cdk-connect-security-profiles/cdk-connect-security-profiles-go',
  },

  devDeps: [
    // bundled into the handler by esbuild, never installed by consumers
    '@aws-sdk/client-connect@3.1136.0',
    '@aws-sdk/client-dynamodb@^3.1136.0',
    '@aws-lambda-powertools/logger@^2.36.0',
    '@aws-lambda-powertools/metrics@^2.36.0',
    '@types/aws-lambda@^8.10.0',
    'esbuild@^0.28.0',
    // test infrastructure
    'dynalite@^4.0.0',
    'fast-check@^4.10.0',
    'cdk-nag@^3.0.2',
    '@aws-cdk/integ-tests-alpha@2.245.0-alpha.0',
    'tsx@^4.23.0',
  ],

  jestOptions: {
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testTimeout: 60_000,
      // the emulator and dynalite servers are started per test file
      maxWorkers: 2,
    },
  },

  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'lambda', 'local', 'examples', 'bench', 'scripts', 'projenrc', '.projenrc.ts'],
  },

  // '/node_modules' too: projen's 'node_modules/' matches only a directory, and a symlinked node_modules would be committed
  gitignore: ['/assets/', '/.tmp/', '/bench/out/', '/node_modules'],
  npmIgnoreOptions: {
    ignorePatterns: [
      '/lambda/',
      '/.ci/',
      '/local/',
      '/examples/',
      '/bench/',
      '/scripts/',
      '/BENCHMARKS.md',
      '/test-reports/',
      '/.tmp/',
      '/cdk.out/',
      '/docs/',
      '/connect-model/',
      // esbuild's metafile of the handler bundle: for scripts/bundle-contents.ts and the notices, not for users
      '/assets/handler.meta.json',
      '/.node-version',
    ],
  },
});

new TextFile(project, '.node-version', { lines: [NODE_VERSION] });
// npm warns when development runs on another major version (a warning: an error would stop the `npm ci`
// that scripts/node22.sh needs no Node.js 22 for)
project.package.addField('devEngines', {
  runtime: { name: 'node', version: `^${NODE_VERSION.split('.')[0]}.0.0`, onFail: 'warn' },
});

// Build against the newest aws-cdk-lib, while the peer range starts at CDK_MIN_VERSION.
project.deps.removeDependency('aws-cdk-lib', DependencyType.BUILD);
project.deps.addDependency(`aws-cdk-lib@${CDK_DEV_VERSION}`, DependencyType.BUILD);
project.deps.addDependency(`constructs@${CONSTRUCTS_DEV_VERSION}`, DependencyType.BUILD);

// ---------------------------------------------------------------------------------------------
// Non-jsii TypeScript folders: each gets a tsconfig (eslint's project service needs one per folder)
// and is type-checked by the `typecheck` task, which the test task runs first (ts-jest only
// transpiles, it does not type-check).
// ---------------------------------------------------------------------------------------------
const DEV_DIRS = ['lambda', 'local', 'examples', 'bench', 'scripts'];
for (const dir of DEV_DIRS) {
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: {
      extends: '../tsconfig.json',
      compilerOptions: { noEmit: true, rootDir: '..' },
      include: ['**/*.ts', '../src/**/*.ts'],
      exclude: ['node_modules'],
    },
    marker: true,
    allowComments: true,
  });
}
// The consumer app (test/consumer/) is compiled inside a temporary app against the packed tarball, not here.
project.tryFindObjectFile('test/tsconfig.json')?.addToArray('exclude', 'consumer/**');
project.eslint?.addIgnorePattern('test/consumer/');

// Import boundaries: the library never imports the handler, the local stand-ins or the tests; the handler
// imports from src/ only the wire contract and the constants beside it, and the pure SearchUsers rules (no
// aws-cdk-lib in the bundle). local/ (the Connect emulator, the CloudFormation player, dynalite, the scale
// workloads) is the one home of what test/, examples/ and bench/ share, so it imports none of them, and
// examples/ and bench/ never reach into test/.
const HANDLER_MAY_IMPORT = [
  './private/contract.ts',
  './private/arns.ts',
  './private/assignment-contract.ts',
  './private/limits.ts',
  './private/metric-names.ts',
  './private/change-event-names.ts',
  './private/connect-operations.ts',
  './search',
];
project.eslint?.addRules({
  'import/no-restricted-paths': ['error', {
    zones: [
      { target: './src', from: './lambda', message: 'the library must not import the handler: move what both need into src/private/contract.ts or a constants module beside it' },
      { target: './src', from: './test', message: 'the library must not import test code' },
      { target: './src', from: './local', message: 'the library must not import the local stand-ins for AWS' },
      { target: './lambda', from: './test', message: 'the handler must not import test code' },
      { target: './lambda', from: './local', message: 'the handler must not import the local stand-ins for AWS' },
      { target: './local', from: ['./test', './examples', './bench'], message: 'local/ is shared by the tests, the demo and the benchmarks: move what it needs into local/' },
      { target: ['./examples', './bench'], from: './test', message: 'the demo and the benchmarks must not import test code: move what they share with the tests into local/' },
      { target: './lambda', from: './src', except: HANDLER_MAY_IMPORT, message: 'the handler imports from src/ only the contract modules and src/search (it must not bundle aws-cdk-lib)' },
    ],
  }],
});

const typecheck = project.addTask('typecheck', {
  description: 'Type-check lambda/, local/, test/, examples/, bench/ and scripts/ (jsii checks src/)',
});
for (const dir of ['lambda', 'local', 'test', 'examples', 'bench', 'scripts']) {
  typecheck.exec(`tsc --noEmit -p ${dir}/tsconfig.json`);
}
project.testTask.prependSpawn(typecheck);

// ---------------------------------------------------------------------------------------------
// The custom-resource handler: one esbuild bundle with two entry functions (onEvent, reconcile), the
// Connect and DynamoDB clients inlined (not taken from the Lambda runtime). Written to
// assets/handler/index.js, shipped in the npm tarball, referenced from src/private/provider.ts.
// ---------------------------------------------------------------------------------------------
const bundleHandler = project.addTask('bundle:handler', {
  description: 'Bundle lambda/index.ts with esbuild into assets/handler/index.js, with the notices of what it inlines',
  steps: [
    {
      // Legal comments are dropped from the minified bundle: scripts/third-party-notices.ts writes the full
      // license and NOTICE texts of every inlined package beside it, which a comment scrape would miss
      // (the AWS SDK's files carry no license comments).
      exec: [
        'esbuild lambda/index.ts --bundle --platform=node --target=node22 --format=cjs --minify',
        '--legal-comments=none --outfile=assets/handler/index.js --metafile=assets/handler.meta.json',
      ].join(' '),
    },
    { exec: 'tsx scripts/third-party-notices.ts' },
  ],
});
project.preCompileTask.spawn(bundleHandler);
// ---------------------------------------------------------------------------------------------
// Docs as users read them. Every README snippet and `@example` compiles under jsii-rosetta --strict with the
// fixtures in rosetta/ (shipped, so Construct Hub translates with them), which writes .jsii.tabl.json: the
// Python, Java, C# and Go translations that jsii-pacmak puts in the bindings' docstrings. Then the API docs
// check: every optional property has @default, no `[object Object]` in .jsii or API.md.
// ---------------------------------------------------------------------------------------------
const rosetta = project.addTask('rosetta:extract', {
  description: 'Compile every README snippet and @example (jsii-rosetta --strict, fixtures in rosetta/) and translate them',
  exec: 'jsii-rosetta extract --strict',
});
const apiDocsCheck = project.addTask('docs:check', {
  description: 'Fail on an optional property without @default, or [object Object], in .jsii and API.md',
  exec: 'tsx scripts/api-docs-check.ts',
});
project.postCompileTask.spawn(rosetta);
project.postCompileTask.spawn(apiDocsCheck);
project.gitignore.exclude('/.jsii.tabl.json');
project.npmignore?.exclude('/.jsii.tabl.json');

project.addTask('bundle:contents', {
  description: 'List what the handler bundle includes (from assets/handler.meta.json); fails on a part outside the allow-list',
  exec: 'tsx scripts/bundle-contents.ts --check',
});
project.addTask('test:faults:long', {
  description: 'A longer fault-injection run (2,000 seeded sequences; FAULT_SEED, FAULT_RUNS override)',
  exec: 'jest test/faults/lifecycle.test.ts --coverage=false',
  env: { FAULT_RUNS: '2000' },
});

// ---------------------------------------------------------------------------------------------
// Packaging. PyPI and Maven Central cannot be reached here and dotnet/go are not installed, so the
// full per-language packages cannot be built on this machine (see README "Other languages"). The build
// packages JS and then generates the sources of the four other bindings (`--code-only`), which proves
// the jsii surface translates. `npx projen package-all` still builds everything where it can.
// ---------------------------------------------------------------------------------------------
const bindings = project.addTask('package:bindings', {
  description: 'Generate (not compile) the Python, Java, .NET and Go bindings into dist/bindings',
  exec: 'jsii-pacmak --code-only --target python --target java --target dotnet --target go --outdir dist/bindings',
});
project.packageTask.reset();
project.packageTask.spawn(project.tasks.tryFind('package:js')!);
project.packageTask.spawn(bindings);

// ---------------------------------------------------------------------------------------------
// Tasks
// ---------------------------------------------------------------------------------------------
project.addTask('permissions:generate', {
  description: 'Regenerate src/permissions.generated.ts from connect-model/permissions.json',
  exec: 'tsx scripts/generate-permissions.ts',
});

project.addTask('emulator', {
  description: 'Run the local Amazon Connect API emulator (npm run emulator -- --port 4566)',
  exec: 'tsx local/connect-emulator/cli.ts',
  receiveArgs: true,
});

project.addTask('demo', {
  description: 'Synthesize the example app and drive it through create, drift, update and delete locally',
  exec: 'tsx examples/demo.ts',
  receiveArgs: true,
});

project.addTask('bench', {
  description: 'Run the benchmarks and write BENCHMARKS.md and bench/results.json',
  exec: 'tsx bench/run.ts',
  receiveArgs: true,
});

project.addTask('test:consumer', {
  description: 'npm pack the library, install it into a fresh CDK app outside the repo and synthesize it',
  exec: 'bash test/consumer/run.sh',
});

project.addTask('release:dry-run', {
  description: 'Dry run of the release versioning in a throwaway clone: the next version, and bumps from conventional commits',
  exec: 'bash scripts/release-dry-run.sh',
});

project.addTask('integ:synth', {
  description: 'Synthesize the integration tests (they need a real AWS account to run)',
  exec: 'tsx test/integ-synth.ts',
});

project.synth();
