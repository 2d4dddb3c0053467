import { exactlyOneField, isObject, nonEmptyArray, show, tagCondition, TagConditionJson } from './rules';

type TagNode =
  | { readonly kind: 'tag'; readonly tag: TagConditionJson }
  | { readonly kind: 'and'; readonly tags: TagConditionJson[] }
  | { readonly kind: 'or'; readonly ors: TagConditionJson[][] };

const FIELDS = ['OrConditions', 'AndConditions', 'TagCondition'] as const;

/**
 * A condition on user tags only: the `TagFilter` of a SearchUsers `SearchFilter` (`ControlPlaneTagFilter`).
 *
 * Prefer `UserAttributeFilter`, which also takes hierarchy groups. A search filter holds one or the
 * other, never both.
 *
 * @see https://docs.aws.amazon.com/connect/latest/APIReference/API_ControlPlaneTagFilter.html
 */
export class TagFilter {
  /**
   * Users that carry the tag `key` with the value `value`.
   *
   * @param key the tag key, 1..128 characters
   * @param value the tag value, up to 256 characters (may be empty)
   */
  public static tag(key: string, value: string): TagFilter {
    return new TagFilter({ kind: 'tag', tag: tagCondition('`TagFilter.tag`', key, value) });
  }

  /** Users that match every one of `conditions` (`AndConditions`); nested `allOf` filters are flattened. */
  public static allOf(...conditions: TagFilter[]): TagFilter {
    return new TagFilter({ kind: 'and', tags: andOf('`TagFilter.allOf`', conditions) });
  }

  /**
   * Users that match at least one of `conditions` (`OrConditions`, a list of ANDs).
   *
   * Each condition becomes one AND of the OR; nested `anyOf` filters are flattened.
   */
  public static anyOf(...conditions: TagFilter[]): TagFilter {
    const where = '`TagFilter.anyOf`';
    if (conditions.length === 0) {
      throw new Error(`${where} needs at least one condition, got none: pass the tag conditions to combine`);
    }
    const ors: TagConditionJson[][] = [];
    for (const condition of conditions) {
      const node = nodeOf(where, condition);
      switch (node.kind) {
        case 'tag': ors.push([node.tag]); break;
        case 'and': ors.push(node.tags); break;
        case 'or': ors.push(...node.ors); break;
      }
    }
    return new TagFilter({ kind: 'or', ors });
  }

  /**
   * Parse a `ControlPlaneTagFilter` in the API's JSON, applying the builders' rules.
   *
   * @param json the `TagFilter` member of a SearchUsers `SearchFilter`
   */
  public static fromJson(json: any): TagFilter {
    const what = 'TagFilter';
    const field = exactlyOneField(what, json, FIELDS);
    switch (field) {
      case 'TagCondition':
        return new TagFilter({ kind: 'tag', tag: tagFromJson(`${what}.TagCondition`, json.TagCondition) });
      case 'AndConditions':
        return new TagFilter({ kind: 'and', tags: listFromJson(`${what}.AndConditions`, json.AndConditions) });
      default:
        return new TagFilter({
          kind: 'or',
          ors: nonEmptyArray(`${what}.OrConditions`, json.OrConditions).map((and, i) => listFromJson(`${what}.OrConditions[${i}]`, and)),
        });
    }
  }

  private readonly node: TagNode;

  private constructor(node: TagNode) {
    this.node = node;
  }

  /** The filter as the API takes it: the value of `SearchFilter.TagFilter`, with exactly one member set. */
  public render(): any {
    switch (this.node.kind) {
      case 'tag': return { TagCondition: { ...this.node.tag } };
      case 'and': return { AndConditions: this.node.tags.map(t => ({ ...t })) };
      case 'or': return { OrConditions: this.node.ors.map(and => and.map(t => ({ ...t }))) };
    }
  }

  /** Same as `render()`. */
  public toJson(): any {
    return this.render();
  }

  /** @internal */
  public _node(): TagNode {
    return this.node;
  }
}

function nodeOf(where: string, condition: TagFilter): TagNode {
  if (!(condition instanceof TagFilter)) {
    throw new Error(`${where} takes TagFilter conditions, got ${show(condition)}: build them with TagFilter.tag, .allOf or .anyOf`);
  }
  return condition._node();
}

function andOf(where: string, conditions: TagFilter[]): TagConditionJson[] {
  if (conditions.length === 0) {
    throw new Error(`${where} needs at least one condition, got none: pass the tag conditions to combine`);
  }
  const tags: TagConditionJson[] = [];
  for (const condition of conditions) {
    const node = nodeOf(where, condition);
    switch (node.kind) {
      case 'tag': tags.push(node.tag); break;
      case 'and': tags.push(...node.tags); break;
      case 'or':
        throw new Error(`${where}: an anyOf cannot sit inside an allOf (the API takes an OR of ANDs): rewrite A AND (B OR C) as anyOf(allOf(A, B), allOf(A, C))`);
    }
  }
  return tags;
}

function tagFromJson(what: string, json: unknown): TagConditionJson {
  if (!isObject(json)) {
    throw new Error(`${what} must be an object with TagKey and TagValue, got ${show(json)}`);
  }
  return tagCondition(what, json.TagKey, json.TagValue);
}

function listFromJson(what: string, json: unknown): TagConditionJson[] {
  return nonEmptyArray(what, json).map((t, i) => tagFromJson(`${what}[${i}]`, t));
}
