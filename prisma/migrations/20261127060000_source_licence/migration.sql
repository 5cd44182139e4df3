-- Each source's licence and the attribution its data must carry (downloads and citations).
ALTER TABLE "source" ADD COLUMN "licence" TEXT,
ADD COLUMN "licence_url" TEXT,
ADD COLUMN "attribution" TEXT NOT NULL DEFAULT '';
