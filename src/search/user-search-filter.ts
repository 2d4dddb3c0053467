import { show } from './rules';
import { TagFilter } from './tag-filter';
import { UserAttributeFilter } from './user-attribute-filter';

/** Properties of a `UserSearchFilter`: exactly one of the two. */
export interface UserSearchFilterProps {
  /**
   * Conditions on user tags only.
   *
   * @default - no tag filter; `userAttributeFilter` must be set
   */
  readonly tagFilter?: TagFilter;

  /**
   * Conditions on user tags and hierarchy groups.
   *
   * @default - no user-attribute filter; `tagFilter` must be set
   */
  readonly userAttributeFilter?: UserAttributeFilter;
}

/**
 * The `SearchFilter` of a SearchUsers request (`UserSearchFilter`).
 *
 * It holds either a tag filter or a user-attribute filter, never both: SearchUsers answers
 * `AccessDeniedException` to a request with both, so this class refuses it when it is built.
 *
 * @see https://docs.aws.amazon.com/connect/latest/APIReference/API_UserSearchFilter.html
 */
export class UserSearchFilter {
  /** A search filter on user tags and hierarchy groups. */
  public static userAttributes(filter: UserAttributeFilter): UserSearchFilter {
    return new UserSearchFilter({ userAttributeFilter: filter });
  }

  /** A search filter on user tags only. */
  public static tags(filter: TagFilter): UserSearchFilter {
    return new UserSearchFilter({ tagFilter: filter });
  }

  /**
   * Parse a `UserSearchFilter` in the API's JSON, applying every rule the builders apply.
   *
   * @param json the `SearchFilter` member of a SearchUsers request
   */
  public static fromJson(json: any): UserSearchFilter {
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw new Error(`SearchFilter must be an object with TagFilter or UserAttributeFilter, got ${show(json)}`);
    }
    const unknown = Object.keys(json).filter(k => k !== 'TagFilter' && k !== 'UserAttributeFilter');
    if (unknown.length > 0) {
      throw new Error(`SearchFilter has unknown member(s) ${unknown.join(', ')}: allowed are TagFilter, UserAttributeFilter`);
    }
    return new UserSearchFilter({
      tagFilter: json.TagFilter === undefined ? undefined : TagFilter.fromJson(json.TagFilter),
      userAttributeFilter: json.UserAttributeFilter === undefined ? undefined : UserAttributeFilter.fromJson(json.UserAttributeFilter),
    });
  }

  private readonly tagFilter?: TagFilter;
  private readonly userAttributeFilter?: UserAttributeFilter;

  /** Build a search filter from exactly one of `tagFilter` and `userAttributeFilter`. */
  public constructor(props: UserSearchFilterProps) {
    if (props.tagFilter !== undefined && props.userAttributeFilter !== undefined) {
      throw new Error('a user search filter takes either `tagFilter` or `userAttributeFilter`, not both (SearchUsers answers AccessDeniedException to both): move the tag conditions into the user-attribute filter with UserAttributeFilter.tag and UserAttributeFilter.allOf');
    }
    if (props.tagFilter === undefined && props.userAttributeFilter === undefined) {
      throw new Error('a user search filter needs `tagFilter` or `userAttributeFilter`, got neither: pass one, or leave the search filter out to search every user');
    }
    if (props.tagFilter !== undefined && !(props.tagFilter instanceof TagFilter)) {
      throw new Error(`\`tagFilter\` must be a TagFilter, got ${show(props.tagFilter)}: build it with TagFilter.tag, .allOf or .anyOf`);
    }
    if (props.userAttributeFilter !== undefined && !(props.userAttributeFilter instanceof UserAttributeFilter)) {
      throw new Error(`\`userAttributeFilter\` must be a UserAttributeFilter, got ${show(props.userAttributeFilter)}: build it with UserAttributeFilter.tag, .hierarchyGroup, .allOf or .anyOf`);
    }
    this.tagFilter = props.tagFilter;
    this.userAttributeFilter = props.userAttributeFilter;
  }

  /** The filter as the API takes it: the value of the request's `SearchFilter`. */
  public render(): any {
    return this.tagFilter !== undefined
      ? { TagFilter: this.tagFilter.render() }
      : { UserAttributeFilter: this.userAttributeFilter!.render() };
  }

  /** Same as `render()`. */
  public toJson(): any {
    return this.render();
  }
}
