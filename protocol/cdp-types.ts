import type { ProtocolMapping } from 'devtools-protocol/types/protocol-mapping.js';

export type { Protocol } from 'devtools-protocol';
export type { ProtocolMapping };

export type CommandName = keyof ProtocolMapping.Commands;
/** The parameters of a command as a rest tuple: `[]`, `[params?]` or `[params]`. */
export type CommandParams<M extends CommandName> = ProtocolMapping.Commands[M]['paramsType'];
export type CommandResult<M extends CommandName> = ProtocolMapping.Commands[M]['returnType'];
export type EventName = keyof ProtocolMapping.Events;
export type EventPayload<E extends EventName> = ProtocolMapping.Events[E] extends [infer P] ? P : undefined;
