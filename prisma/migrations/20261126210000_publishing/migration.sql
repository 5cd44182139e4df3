-- AlterTable
ALTER TABLE "release" ADD COLUMN "published_by" TEXT,
ADD COLUMN "idempotency_key" TEXT;

-- CreateTable
CREATE TABLE "api_key" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "secret_hash" TEXT NOT NULL,
    "scopes" TEXT[],
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(6),

    CONSTRAINT "api_key_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_entry" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "source_id" TEXT,
    "release_id" TEXT,
    "result" TEXT NOT NULL,
    "detail" TEXT,

    CONSTRAINT "audit_entry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "release_idempotency_key_key" ON "release"("idempotency_key");

-- CreateIndex
CREATE INDEX "release_source_id_checksum_idx" ON "release"("source_id", "checksum");

-- CreateIndex
CREATE INDEX "audit_entry_at_idx" ON "audit_entry"("at");
