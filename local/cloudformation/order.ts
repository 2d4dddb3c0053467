/**
 * The order CloudFormation creates, updates and deletes resources in (pure: no I/O).
 */
import { referencedLogicalIds } from './intrinsics';

/** A template resource, as the player needs it. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DependsOn?: string | string[];
  readonly Condition?: string;
  readonly DeletionPolicy?: string;
  readonly Metadata?: Record<string, unknown>;
}

/**
 * Each resource's dependencies: what it refers to (`Ref`, `Fn::GetAtt`, `Fn::Sub`) and its `DependsOn`.
 *
 * @param parameters names of template parameters (not resources)
 */
export function dependencyGraph(
  resources: Readonly<Record<string, TemplateResource>>,
  parameters: ReadonlySet<string> = new Set(),
): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const [id, resource] of Object.entries(resources)) {
    const deps = referencedLogicalIds(resource.Properties ?? {}, parameters);
    const dependsOn = resource.DependsOn === undefined ? [] : [resource.DependsOn].flat();
    dependsOn.forEach((d) => deps.add(d));
    for (const dep of deps) {
      if (!(dep in resources)) {
        throw new Error(`resource ${id} refers to ${dep}, which is neither a resource nor a parameter of the template`);
      }
    }
    deps.delete(id);
    graph.set(id, deps);
  }
  return graph;
}

/**
 * A creation order: every resource after all of its dependencies; ties keep template order.
 *
 * @throws when the dependencies form a cycle (the error names it)
 */
export function creationOrder(graph: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const order: string[] = [];
  const done = new Set<string>();
  const visiting: string[] = [];
  const visit = (id: string) => {
    if (done.has(id)) {
      return;
    }
    if (visiting.includes(id)) {
      throw new Error(`circular dependency between resources: ${[...visiting.slice(visiting.indexOf(id)), id].join(' -> ')}`);
    }
    visiting.push(id);
    for (const dep of graph.get(id) ?? []) {
      visit(dep);
    }
    visiting.pop();
    done.add(id);
    order.push(id);
  };
  for (const id of graph.keys()) {
    visit(id);
  }
  return order;
}

/** A deletion order: the reverse of the creation order (dependents first). */
export function deletionOrder(graph: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  return creationOrder(graph).reverse();
}
