-- CreateTable
-- What the hub loaded from prisma/data, by part (the shared codelists, each source): a fingerprint
-- of the files and the code that read them, so a start with nothing changed skips reading them.
CREATE TABLE "bundled_load" (
    "name" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "loaded_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "bundled_load_pkey" PRIMARY KEY ("name")
);
