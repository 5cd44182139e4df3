import type { PrismaClient } from '../db/database.ts';

export interface AuditRecord {
  actor: string;
  action: 'PUBLISH' | 'PREVIEW' | 'WITHDRAW' | 'RESCHEDULE' | 'KEY_CREATE' | 'KEY_REVOKE' | 'PRE_RELEASE_READ';
  sourceId?: string | null;
  releaseId?: string | null;
  result: 'OK' | 'UNCHANGED' | 'REJECTED' | 'FAILED';
  detail?: string | null;
}

/** Records an action in the audit log (outside the action's own transaction, so failures are kept too). */
export async function audit(prisma: PrismaClient, entry: AuditRecord): Promise<void> {
  await prisma.auditEntry.create({ data: entry });
}
