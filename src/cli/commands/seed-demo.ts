import { DEMO_SOURCE } from '../../catalogue/demo/seed-demo.ts';
import type { Command } from '../command.ts';

export const seedDemoCommand: Command = {
  name: 'seed-demo',
  summary: 'Load the demo Camden catalogue (marked as demo data)',
  usage: 'seed-demo',
  options: {},
  async run(ctx) {
    const report = await ctx.seedDemo();
    return {
      json: report,
      text: `Demo catalogue loaded as source "${DEMO_SOURCE}": ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged.`,
    };
  },
};
