// A brand-new consumer CDK app, written the way the README's quick start and hierarchy sections show.
// Compiled with `tsc` against the installed package, then synthesized with `node`.
import { App, Stack, Tags } from 'aws-cdk-lib';
import {
  HierarchyAccessControl,
  Instance,
  Permission,
  SecurityProfile,
  UserHierarchyGroup,
  UserHierarchyStructure,
} from 'cdk-connect-security-profiles';

const app = new App({ outdir: 'cdk.out' });
const stack = new Stack(app, 'ContactCenter', { env: { account: '123456789012', region: 'eu-west-2' } });

const instance = Instance.fromInstanceArn(stack, 'Instance',
  'arn:aws:connect:eu-west-2:123456789012:instance/11111111-2222-3333-4444-555555555555');

const levels = new UserHierarchyStructure(stack, 'Levels', { instance, levels: ['BPO'] });
const bpoA = new UserHierarchyGroup(stack, 'BpoA', { instance, userHierarchyGroupName: 'BPO-A', hierarchyStructure: levels });

const supervisor = new SecurityProfile(stack, 'BpoASupervisor', {
  instance,
  securityProfileName: 'BPO-A-Supervisor',
  description: 'Supervisors of BPO A see only BPO A users',
  permissions: [Permission.of('Users.View'), Permission.of('Users.Edit')],
  hierarchyAccessControl: HierarchyAccessControl.restrictToGroup(bpoA),
});
Tags.of(supervisor).add('team', 'bpo-a');

app.synth();
