/**
 * Reading a synthesized cloud assembly (cdk.out): stacks, their templates and their file assets.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TemplateResource } from './order';

/** A CloudFormation template, as much of it as the player reads. */
export interface Template {
  readonly Parameters?: Record<string, { Type: string; Default?: unknown }>;
  readonly Conditions?: Record<string, unknown>;
  readonly Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  readonly Resources: Record<string, TemplateResource>;
  readonly Outputs?: Record<string, { Value: unknown }>;
}

/** One stack of the assembly. */
export interface AssemblyStack {
  /** The artifact id (the construct id of the stack). */
  readonly artifactId: string;
  /** The CloudFormation stack name. */
  readonly stackName: string;
  readonly template: Template;
  /** Absolute directory of each file asset, by the S3 object key the template uses for it. */
  readonly assetDirsByObjectKey: ReadonlyMap<string, string>;
  /** The warnings the synthesis put on the stack's constructs, in construct order. */
  readonly warnings: readonly SynthWarning[];
  /** The error annotations (`Annotations.of(x).addError(message)`): the CDK CLI refuses to deploy a stack with any. */
  readonly errors: readonly SynthWarning[];
}

/** A warning or error annotation (`Annotations.of(x).addWarningV2(id, message)`), as the assembly keeps it. */
export interface SynthWarning {
  /** The construct path, e.g. `/Stack/Profile`. */
  readonly path: string;
  /** The message, without the `[ack: <id>]` suffix. */
  readonly message: string;
  /** The id to acknowledge it with, when it has one. */
  readonly id?: string;
}

/**
 * Read every CloudFormation stack of the assembly in `outdir`.
 *
 * @throws when `outdir` holds no assembly (run the app first)
 */
export function readAssembly(outdir: string): AssemblyStack[] {
  const manifestPath = join(outdir, 'manifest.json');
  if (!existsSync(manifestPath)) {
    throw new Error(`no cloud assembly in ${outdir} (manifest.json is missing): synthesize the app into that directory first`);
  }
  const manifest = readJson(manifestPath) as { artifacts?: Record<string, Artifact> };
  const artifacts = manifest.artifacts ?? {};
  const stacks: AssemblyStack[] = [];
  for (const [artifactId, artifact] of Object.entries(artifacts)) {
    if (artifact.type !== 'aws:cloudformation:stack') {
      continue;
    }
    const template = readJson(join(outdir, artifact.properties.templateFile)) as Template;
    const assetDirsByObjectKey = new Map<string, string>();
    for (const dep of artifact.dependencies ?? []) {
      const assetArtifact = artifacts[dep];
      if (assetArtifact?.type !== 'cdk:asset-manifest') {
        continue;
      }
      const assets = readJson(join(outdir, assetArtifact.properties.file)) as AssetManifest;
      for (const file of Object.values(assets.files ?? {})) {
        for (const destination of Object.values(file.destinations)) {
          assetDirsByObjectKey.set(destination.objectKey, join(outdir, file.source.path));
        }
      }
    }
    stacks.push({
      artifactId,
      stackName: artifact.properties.stackName ?? artifactId,
      template,
      assetDirsByObjectKey,
      warnings: annotationsOf(outdir, artifact, 'aws:cdk:warning'),
      errors: annotationsOf(outdir, artifact, 'aws:cdk:error'),
    });
  }
  return stacks;
}

interface Artifact {
  readonly type: string;
  readonly properties: { templateFile: string; stackName?: string; file: string };
  readonly dependencies?: string[];
  readonly metadata?: Record<string, MetadataEntry[]>;
  /** Newer assemblies keep the metadata in a file beside the manifest. */
  readonly additionalMetadataFile?: string;
}

interface MetadataEntry {
  readonly type: string;
  readonly data?: unknown;
}

/** The entries of one annotation type of a stack artifact, from the manifest and its additional metadata file. */
function annotationsOf(outdir: string, artifact: Artifact, type: 'aws:cdk:warning' | 'aws:cdk:error'): SynthWarning[] {
  const metadata: Record<string, MetadataEntry[]> = { ...artifact.metadata };
  if (artifact.additionalMetadataFile) {
    const more = readJson(join(outdir, artifact.additionalMetadataFile)) as Record<string, MetadataEntry[]>;
    for (const [path, entries] of Object.entries(more)) {
      metadata[path] = [...(metadata[path] ?? []), ...entries];
    }
  }
  return Object.entries(metadata).flatMap(([path, entries]) => entries
    .filter((e) => e.type === type)
    .map((e) => {
      const text = String(e.data);
      const ack = / \[ack: ([^\]]+)\]$/.exec(text);
      return ack ? { path, message: text.slice(0, ack.index), id: ack[1] } : { path, message: text };
    }));
}

interface AssetManifest {
  readonly files?: Record<string, {
    source: { path: string; packaging?: string };
    destinations: Record<string, { objectKey: string; bucketName: string }>;
  }>;
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}
