-- CreateTable
CREATE TABLE "shortlist" (
    "platform" TEXT NOT NULL,
    "channel_ref" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "entry_ids" TEXT[],
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "shortlist_pkey" PRIMARY KEY ("platform","channel_ref","user_id")
);

-- CreateTable
CREATE TABLE "leaflet" (
    "id" UUID NOT NULL,
    "entry_ids" TEXT[],
    "large_print" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "leaflet_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "shortlist_expires_at_idx" ON "shortlist"("expires_at");

-- CreateIndex
CREATE INDEX "leaflet_expires_at_idx" ON "leaflet"("expires_at");
