-- AlterTable
ALTER TABLE "digest_subscription" ADD COLUMN     "checks" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "checks_week" TEXT;
