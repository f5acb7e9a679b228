-- CreateTable
CREATE TABLE "teams_conversation_ref" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "conversation_id" TEXT NOT NULL,
    "tenant_id" TEXT,
    "service_url" TEXT NOT NULL,
    "channel_id" TEXT,
    "team_id" TEXT,
    "kind" TEXT NOT NULL,
    "reference" JSONB NOT NULL,
    "installed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "teams_conversation_ref_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "teams_conversation_ref_conversation_id_key" ON "teams_conversation_ref"("conversation_id");

-- CreateIndex
CREATE INDEX "teams_conversation_ref_tenant_id_idx" ON "teams_conversation_ref"("tenant_id");

