/** `superkick questions` and `superkick answer`: what agents asked people (superkick_ask_human), and the answer typed back into the agent. */
import type { Command } from 'commander';
import { Mcp } from '../../protocol';
import { age, table } from '../format';
import { printJson, withHost } from './withHost';

function oneLine(text: string, width = 70): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > width ? `${line.slice(0, width - 1)}…` : line;
}

export function registerQuestions(program: Command): void {
  program
    .command('questions')
    .description('questions agents asked and that wait for an answer (superkick answer <id> <text>)')
    .option('--all', 'answered ones too')
    .option('--json', 'machine-readable output')
    .action(async (options: { all?: boolean; json?: boolean }) => {
      const questions = await withHost((host) => host.connection.sendRequest(Mcp.ListQuestions.type, { all: Boolean(options.all) }));
      if (options.json) printJson(questions);
      else if (!questions.length) console.log(options.all ? 'no questions' : 'no open questions');
      else {
        console.log(
          table(
            ['ID', 'AGENT', 'AGE', 'QUESTION', ...(options.all ? ['ANSWER'] : [])],
            questions.map((q) => [
              q.id,
              `${q.agentName} (${q.agentId})`,
              age(q.askedAt),
              `${oneLine(q.question)}${q.choices.length ? ` [${q.choices.join(' / ')}]` : ''}`,
              ...(options.all ? [q.answer === null ? '-' : oneLine(q.answer, 40)] : []),
            ]),
          ),
        );
      }
    });

  program
    .command('answer')
    .description("answer an agent's question: the answer is typed into the agent when it is idle")
    .argument('<question-id>', 'as listed by superkick questions')
    .argument('<text...>', 'the answer')
    .option('--json', 'machine-readable output')
    .action(async (questionId: string, words: string[], options: { json?: boolean }) => {
      const result = await withHost((host) => host.connection.sendRequest(Mcp.AnswerQuestion.type, { questionId, text: words.join(' ') }));
      if (options.json) printJson(result);
      else console.log(`answer queued for ${result.question.agentName} (${result.question.agentId}), position ${result.position}; it is typed in when the agent is idle`);
    });
}
