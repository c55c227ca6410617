import type { Logger } from 'pino';

export type MessageHandler = (message: string) => void;

/** Subscribers per channel, shared by both caches; a failing handler is logged and never breaks delivery. */
export class ChannelHandlers {
  private readonly byChannel = new Map<string, Set<MessageHandler>>();

  constructor(private readonly log: Logger | undefined) {}

  /** Registers the handler; true when it is the channel's first, i.e. the backend must subscribe. */
  add(channel: string, handler: MessageHandler): boolean {
    let handlers = this.byChannel.get(channel);
    const first = handlers === undefined;
    if (handlers === undefined) {
      handlers = new Set();
      this.byChannel.set(channel, handlers);
    }
    handlers.add(handler);
    return first;
  }

  channels(): string[] {
    return [...this.byChannel.keys()];
  }

  deliver(channel: string, message: string): void {
    const handlers = this.byChannel.get(channel);
    if (handlers === undefined) return;
    for (const handler of [...handlers]) {
      try {
        // Handlers are typed sync, but an async one must not become an unhandled rejection.
        const result: unknown = handler(message);
        if (result instanceof Promise) result.catch((err: unknown) => this.failed(channel, err));
      } catch (err) {
        this.failed(channel, err);
      }
    }
  }

  clear(): void {
    this.byChannel.clear();
  }

  private failed(channel: string, err: unknown): void {
    this.log?.error({ err, channel }, 'cache subscriber failed');
  }
}
