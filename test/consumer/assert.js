// Assertions on the consumer's cloud assembly. Plain node, no test framework: exits non-zero on failure.
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { execFileSync } = require('child_process');

const tarball = process.argv[2];
const fail = (msg) => { console.error(`consumer assertion failed: ${msg}`); process.exit(1); };
const sha = (buf) => crypto.createHash('sha256').update(buf).digest('hex');

const template = JSON.parse(fs.readFileSync('cdk.out/ContactCenter.template.json', 'utf8'));
const resources = Object.entries(template.Resources);
const profiles = resources.filter(([, r]) => r.Type === 'Custom::ConnectSecurityProfile');
if (profiles.length !== 1) fail(`expected 1 Custom::ConnectSecurityProfile, found ${profiles.length}`);
const props = profiles[0][1].Properties;
if (props.SecurityProfileName !== 'BPO-A-Supervisor') fail(`SecurityProfileName is ${props.SecurityProfileName}`);
if (JSON.stringify(props.HierarchyRestrictedResources) !== '["User"]') fail(`HierarchyRestrictedResources is ${JSON.stringify(props.HierarchyRestrictedResources)}`);
if (!props.AllowedAccessControlHierarchyGroupId) fail('AllowedAccessControlHierarchyGroupId is missing');
if (JSON.stringify(props.Permissions) !== '["Users.Edit","Users.View"]') fail(`Permissions are ${JSON.stringify(props.Permissions)} (expected sorted)`);
if (!props.Tags || props.Tags.team !== 'bpo-a') fail(`Tags.of(profile).add did not render: ${JSON.stringify(props.Tags)}`);
const groups = resources.filter(([, r]) => r.Type === 'AWS::Connect::UserHierarchyGroup');
if (groups.length !== 1) fail('the hierarchy group is missing');
const structures = resources.filter(([, r]) => r.Type === 'AWS::Connect::UserHierarchyStructure');
if (structures.length !== 1) fail('the hierarchy structure is missing');
if (JSON.stringify(groups[0][1].DependsOn) !== JSON.stringify([structures[0][0]])) fail(`the group does not depend on the structure: ${JSON.stringify(groups[0][1].DependsOn)}`);

// The handler function: its code is an asset that resolves to the bundled handler inside the tarball.
const handlers = resources.filter(([, r]) => r.Type === 'AWS::Lambda::Function' && /^index\.onEvent$/.test(r.Properties.Handler));
if (handlers.length !== 1) fail(`expected 1 handler function (index.onEvent), found ${handlers.length}`);
const [, fn] = handlers[0];
if (fn.Properties.Runtime !== 'nodejs22.x') fail(`runtime is ${fn.Properties.Runtime}`);
if (JSON.stringify(fn.Properties.Architectures) !== '["arm64"]') fail(`architectures are ${JSON.stringify(fn.Properties.Architectures)}`);
// Resolve the function's code through the assets manifest (what `cdk deploy` publishes): the file asset
// whose object key is the function's S3Key.
const s3Key = fn.Properties.Code && fn.Properties.Code.S3Key;
if (typeof s3Key !== 'string') fail(`the handler's Code.S3Key is not a literal: ${JSON.stringify(fn.Properties.Code)}`);
const manifest = JSON.parse(fs.readFileSync('cdk.out/ContactCenter.assets.json', 'utf8'));
const asset = Object.values(manifest.files || {}).find((a) =>
  Object.values(a.destinations).some((d) => d.objectKey === s3Key));
if (!asset) fail(`no file asset in ContactCenter.assets.json publishes ${s3Key}`);
const assetFile = path.join('cdk.out', asset.source.path, 'index.js');
if (!fs.existsSync(assetFile)) fail(`the handler asset does not resolve: ${assetFile}`);
// the licenses of what the bundle inlines travel with it, into the Lambda asset too
if (!fs.existsSync(path.join(path.dirname(assetFile), 'THIRD-PARTY-NOTICES.txt'))) fail('the handler asset has no THIRD-PARTY-NOTICES.txt');

const listing = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).split('\n');
if (!listing.includes('package/assets/handler/index.js')) fail('assets/handler/index.js is not in the tarball');
const inTarball = execFileSync('tar', ['xzf', tarball, '-O', 'package/assets/handler/index.js'], { maxBuffer: 64 * 1024 * 1024 });
if (sha(inTarball) !== sha(fs.readFileSync(assetFile))) fail('the synthesized handler asset differs from the tarball\'s');
const installed = require.resolve('cdk-connect-security-profiles/package.json');
if (!fs.existsSync(path.join(path.dirname(installed), 'assets', 'handler', 'index.js'))) fail('the installed package has no assets/handler/index.js');
console.log(`consumer: template ok (${resources.length} resources), handler asset ${(inTarball.length / 1024).toFixed(0)} KiB resolves from the installed tarball`);
