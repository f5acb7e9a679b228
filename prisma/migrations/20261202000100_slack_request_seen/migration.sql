-- CreateTable
CREATE TABLE "slack_request_seen" (
    "key" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "slack_request_seen_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "slack_request_seen_expires_at_idx" ON "slack_request_seen"("expires_at");
