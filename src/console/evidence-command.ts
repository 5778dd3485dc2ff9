/** A word for a POSIX shell: as it is when it holds only safe characters, else in single quotes. */
export function shellWord(word: string): string {
  if (/^[A-Za-z0-9_./:@%+=,-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command that exports a message's evidence bundle on this node: with the configuration file
 * the node was started with (absolute, so it works from any directory), every word quoted for a shell.
 */
export function evidenceCommand(configFile: string, messageId: string): string {
  return [
    'yrdx',
    'evidence',
    'export',
    '--config',
    configFile,
    '--message',
    messageId,
    '--out',
    `${messageId}.evidence.json`,
  ]
    .map(shellWord)
    .join(' ');
}
