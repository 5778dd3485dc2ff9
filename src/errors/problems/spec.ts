/**
 * One entry of the problem catalogue. `zh` and `en` are detail templates: `{name}` is replaced by
 * the error's parameter of that name. 简体中文 is the default language of every detail.
 */
export interface ProblemSpec {
  readonly status: number;
  readonly title: string;
  readonly zh: string;
  readonly en: string;
}
