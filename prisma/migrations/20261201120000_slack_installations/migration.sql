-- CreateTable
CREATE TABLE "slack_installation" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "install_key" TEXT NOT NULL,
    "team_id" TEXT,
    "enterprise_id" TEXT,
    "is_enterprise_install" BOOLEAN NOT NULL DEFAULT false,
    "team_name" TEXT,
    "bot_user_id" TEXT,
    "installation" JSONB NOT NULL,
    "installed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "slack_installation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "slack_installation_install_key_key" ON "slack_installation"("install_key");

-- CreateIndex
CREATE INDEX "slack_installation_enterprise_id_idx" ON "slack_installation"("enterprise_id");

