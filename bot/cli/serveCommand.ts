/** `kefu serve`: starts the bot with the configuration from the environment (and `.env`). */
import { parseArgs } from 'node:util';
import { ConfigError, type Config } from '../config.js';
import { commandConfig, UsageError, type Command } from './command.js';

export const serveCommand: Command = {
  summary: 'start the bot server (npm start)',
  usage: [
    'kefu serve [--port N]',
    '',
    'Starts kefu on the embedded defaults: SQLite under KEFU_DATA_DIR, rules from RULES_FILE,',
    'demo orders from ORDERS_FILE. Every setting comes from the environment or a .env file',
    '(see .env.example). SIGINT/SIGTERM finish in-flight turns, then exit.',
  ].join('\n'),
  async run(args, io) {
    const { values } = (() => {
      try {
        return parseArgs({ args, options: { port: { type: 'string' } } });
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
    })();
    let config: Config;
    try {
      config = await commandConfig(io, values.port ? { PORT: values.port } : {});
    } catch (err) {
      if (err instanceof ConfigError) {
        io.stderr.write(`kefu serve: ${err.message}\n`);
        return 1;
      }
      throw err;
    }
    const { startApp } = await import('../app.js');
    const app = await startApp(config);
    io.stdout.write(
      `kefu is running: widget http://localhost:${app.port}/ · console http://localhost:${app.port}/console · Bot Framework endpoint http://localhost:${app.port}/api/messages\n`,
    );
    if (app.consoleSignIn !== undefined) {
      io.stdout.write(
        `agent console (demo agent, local only; set AGENT_TOKENS for real agents): ${app.consoleSignIn}\n`,
      );
    }
    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        app.log.info({ signal }, 'shutting down: finishing in-flight turns');
        // A request to a channel that never answers cannot be cancelled from here and would keep
        // the process alive; once everything is closed, nothing else is worth waiting for.
        const exit = () => setTimeout(() => process.exit(), 1000).unref();
        void app
          .close()
          .then(resolve, (err: unknown) => {
            app.log.error({ err }, 'shutdown failed');
            resolve();
          })
          .finally(exit);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  },
};
