import { OperationHandler } from './context';
import { checkTagCount } from './state';

const tagResource: OperationHandler = (input, ctx) => {
  const { target } = ctx.store.resourceByArn(input.resourceArn);
  const merged = { ...target.tags, ...input.tags };
  checkTagCount(merged, `resource ${input.resourceArn}`);
  target.tags = merged;
  return undefined;
};

const untagResource: OperationHandler = (input, ctx) => {
  const { target } = ctx.store.resourceByArn(input.resourceArn);
  const next = { ...target.tags };
  for (const key of input.tagKeys as string[]) {
    delete next[key];
  }
  target.tags = next;
  return undefined;
};

const listTagsForResource: OperationHandler = (input, ctx) => {
  const { target } = ctx.store.resourceByArn(input.resourceArn);
  return { tags: { ...target.tags } };
};

/** Handlers of the tag operations (lowercase members, as the model has them). */
export const tagHandlers: Record<string, OperationHandler> = {
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsForResource: listTagsForResource,
};
