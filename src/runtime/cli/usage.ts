import { suggest } from '../../text/suggest.js';
import type { Language } from '../../vocabulary/language.js';
import { TEXT as HELP } from './help.js';
import type { Io } from './output.js';
import { bilingual, listIn, type Texts, textIn } from './text.js';

export type Command = (args: string[], io: Io) => Promise<number>;

/** A text in both languages, e.g. a command's help taken from its module's TEXT table. */
export interface Bilingual {
  readonly zh: string;
  readonly en: string;
}

/** A command of the CLI: what runs it, and its help (synopsis line, one-line summary, option lines). */
export interface CommandSpec {
  readonly run: Command;
  readonly help: Bilingual;
}

/** One entry of a TEXT table in both languages: `entry(TEXT, 'help:config check')`. */
export function entry<T extends Texts>(table: T, key: keyof T['zh'] & string): Bilingual {
  return { zh: table.zh[key] ?? key, en: table.en[key] ?? key };
}

export const TEXT = bilingual({
  zh: {
    unknownCommand: '未知命令 "{command}"',
    unknownCommandSuggest: '未知命令 "{command}"，是否要输入 "{suggestion}"？',
    unknownOption: '未知选项 {option}；{command} 的选项有：{options}',
    unknownOptionSuggest: '未知选项 {option}，是否要输入 {suggestion}？',
    missingValue: '选项 {option} 需要一个值',
    noValue: '选项 {option} 不带值',
    unexpected: '多余的参数 "{argument}"',
    needsSubcommand: '"yrdx {group}" 需要一个子命令：',
  },
  en: {
    unknownCommand: 'unknown command "{command}"',
    unknownCommandSuggest: 'unknown command "{command}"; did you mean "{suggestion}"?',
    unknownOption: 'unknown option {option}; the options of {command} are: {options}',
    unknownOptionSuggest: 'unknown option {option}; did you mean {suggestion}?',
    missingValue: 'option {option} needs a value',
    noValue: 'option {option} takes no value',
    unexpected: 'unexpected argument "{argument}"',
    needsSubcommand: '"yrdx {group}" needs a subcommand:',
  },
});

const t = (lang: Language, key: keyof (typeof TEXT)['zh'], params?: Record<string, string>) =>
  textIn(lang, TEXT, key, params);

/** The synopsis and summary of a command, as listed by `yrdx help`. */
function listing(help: string): string {
  const [synopsis = '', summary = ''] = help.split('\n');
  return `  ${synopsis}\n      ${summary}\n`;
}

/** `yrdx help`: every command's synopsis and summary. */
export function renderUsage(lang: Language, commands: Readonly<Record<string, CommandSpec>>): string {
  const h = (key: keyof (typeof HELP)['zh']) => textIn(lang, HELP, key);
  const lines = Object.values(commands).map((c) => listing(c.help[lang]));
  return `${h('title')}\n\n${h('commands')}\n${lines.join('')}\n${h('footer')}\n`;
}

/** `yrdx keys --help` (and `yrdx keys` alone): the group's summary and its commands. */
export function renderGroup(
  lang: Language,
  group: string,
  summary: Bilingual | undefined,
  commands: Readonly<Record<string, CommandSpec>>,
): string {
  const members = Object.entries(commands).filter(([name]) => name.startsWith(`${group} `));
  const head = summary === undefined ? '' : `${summary[lang]}\n\n`;
  return `${head}${textIn(lang, HELP, 'commands')}\n${members.map(([, c]) => listing(c.help[lang])).join('')}`;
}

/** `yrdx <command> --help`: usage, summary and one line per option. */
export function renderHelp(lang: Language, spec: CommandSpec): string {
  const [synopsis = '', summary = '', ...options] = spec.help[lang].split('\n');
  const h = (key: keyof (typeof HELP)['zh']) => textIn(lang, HELP, key);
  return `${h('usage')}${synopsis}\n${summary}\n\n${h('options')}\n${[...options, h('helpOption')].join('\n')}\n`;
}

/** The option names a command's help lists (`--config`, `--json` …). */
export function optionsOf(spec: CommandSpec): string[] {
  return [...new Set(spec.help.en.match(/--[a-z][a-z-]*/g) ?? [])];
}

/** "unknown command": the closest command or group, if any is close. */
export function unknownCommand(lang: Language, argv: readonly string[], names: readonly string[]): string {
  const [first = '', second] = argv;
  const two = second !== undefined && !second.startsWith('-') ? `${first} ${second}` : undefined;
  const byTwo =
    two === undefined
      ? []
      : suggest(
          two,
          names.filter((n) => n.includes(' ')),
        );
  if (two !== undefined && byTwo[0] !== undefined)
    return t(lang, 'unknownCommandSuggest', { command: two, suggestion: byTwo[0] });
  const groups = [...new Set(names.map((n) => n.split(' ')[0]!))];
  const byOne = suggest(first, groups);
  const shown = two ?? first;
  if (byOne[0] !== undefined) {
    // "yrdx keys lst": the group is right, the subcommand is not.
    const members = names.filter((n) => n.startsWith(`${first} `));
    const inGroup = two === undefined ? [] : suggest(two, members);
    const suggestion = inGroup[0] ?? (members.length > 0 && first === byOne[0] ? members[0]! : byOne[0]);
    return t(lang, 'unknownCommandSuggest', { command: shown, suggestion });
  }
  return t(lang, 'unknownCommand', { command: shown });
}

/** The group of commands' "needs a subcommand" line. */
export function needsSubcommand(lang: Language, group: string): string {
  return t(lang, 'needsSubcommand', { group });
}

/**
 * node:util parseArgs' errors (English, ERR_PARSE_ARGS_*) in the CLI's language, an unknown option
 * with the closest of the command's options.
 */
export function parseArgsMessage(
  lang: Language,
  error: Error & { code?: string },
  name: string,
  spec: CommandSpec,
) {
  const quoted = /'([^']+)'/.exec(error.message)?.[1] ?? '';
  // "'-k, --kid <value>'" names the option in its long form.
  const option = /--[A-Za-z0-9-]+/.exec(quoted)?.[0] ?? quoted.split(/[ =]/)[0] ?? quoted;
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const known = optionsOf(spec);
    const close = suggest(option, known)[0];
    if (close !== undefined) return t(lang, 'unknownOptionSuggest', { option, suggestion: close });
    return t(lang, 'unknownOption', {
      option,
      command: `yrdx ${name}`,
      options: listIn(lang, [...known, '--help']),
    });
  }
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE')
    return t(lang, /argument missing/.test(error.message) ? 'missingValue' : 'noValue', { option });
  return t(lang, 'unexpected', { argument: quoted });
}
