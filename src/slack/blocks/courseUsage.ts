/** The usage lines of the course and catch-up subcommands, in the help's order. */
export const COURSE_USAGE: readonly { syntax: string; example: string; does: string }[] = [
  {
    syntax: 'runbook RUN-002',
    example: 'runbook RUN-002',
    does: "switch to another runbook: the old one's open steps are skipped, its done steps stay",
  },
  {
    syntax: 'step add <title> [| <check> | <check>]',
    example: 'step add Drain node-7 | pods rescheduled',
    does: 'add a step of your own with its checks (`step add` alone opens a form)',
  },
  {
    syntax: 'assign step <number> @user',
    example: 'assign step 2 @bob',
    does: 'hand a step to someone: they are pinged and see it in their App Home',
  },
  {
    syntax: 'catchup',
    example: 'catchup',
    does: 'only for you: state, roles, steps done, open and overdue, the last update, the next timer',
  },
];
