import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

// The .proto files ship next to the code (repository or image): find them by walking up, so the
// same lookup works from sources, from dist/ and inside a container.
function findProtoRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, 'proto');
    if (existsSync(join(candidate, 'sms'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`No proto/ directory found above ${start}`);
  }
}

export const PROTO_ROOT = findProtoRoot(__dirname);

/** proto-loader options; the generated types assume exactly these (ts-proto stringEnums, forceLong=number). */
export const PROTO_LOADER_OPTIONS = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTO_ROOT],
};

export interface GrpcServiceSpec {
  /** Proto package, e.g. `sms.status.v1`. */
  readonly packageName: string;
  /** Service name inside the package. */
  readonly serviceName: string;
  /** Path of the .proto file, relative to PROTO_ROOT. */
  readonly protoFile: string;
}

export const GRPC_SERVICES = {
  status: {
    packageName: 'sms.status.v1',
    serviceName: 'StatusService',
    protoFile: 'sms/status/v1/status_service.proto',
  },
  interception: {
    packageName: 'sms.interception.v1',
    serviceName: 'InterceptionService',
    protoFile: 'sms/interception/v1/interception_service.proto',
  },
  reply: {
    packageName: 'sms.reply.v1',
    serviceName: 'ReplyService',
    protoFile: 'sms/reply/v1/reply_service.proto',
  },
  webhook: {
    packageName: 'sms.webhook.v1',
    serviceName: 'WebhookService',
    protoFile: 'sms/webhook/v1/webhook_service.proto',
  },
} as const satisfies Record<string, GrpcServiceSpec>;
