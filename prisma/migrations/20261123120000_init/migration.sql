-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "source" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "url" TEXT,
    "is_demo" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_imported_at" TIMESTAMPTZ(3),
    "last_success_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "last_error_at" TIMESTAMPTZ(3),
    "etag" TEXT,
    "last_modified" TEXT,
    "content_hash" TEXT,

    CONSTRAINT "source_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "organization" (
    "id" UUID NOT NULL,
    "source_id" UUID NOT NULL,
    "external_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "email" TEXT,
    "url" TEXT,
    "phone" TEXT,
    "content_hash" TEXT NOT NULL,

    CONSTRAINT "organization_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "location" (
    "id" UUID NOT NULL,
    "source_id" UUID NOT NULL,
    "external_id" TEXT NOT NULL,
    "name" TEXT,
    "location_type" TEXT NOT NULL DEFAULT 'physical',
    "address_1" TEXT,
    "address_2" TEXT,
    "city" TEXT,
    "postal_code" TEXT,
    "ward" TEXT,
    "latitude" DOUBLE PRECISION,
    "longitude" DOUBLE PRECISION,
    "accessibility" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "accessibility_note" TEXT,
    "url" TEXT,
    "content_hash" TEXT NOT NULL,

    CONSTRAINT "location_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "service" (
    "id" UUID NOT NULL,
    "source_id" UUID NOT NULL,
    "external_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "url" TEXT,
    "status" TEXT NOT NULL DEFAULT 'active',
    "alert" TEXT,
    "organization_id" UUID,
    "location_id" UUID,
    "categories" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "audiences" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "languages" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "is_free" BOOLEAN,
    "cost_amount" DECIMAL(10,2),
    "fees_description" TEXT,
    "application_process" TEXT,
    "attending_types" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "contact_name" TEXT,
    "contact_email" TEXT,
    "contact_phone" TEXT,
    "eligibility_description" TEXT,
    "minimum_age" INTEGER,
    "maximum_age" INTEGER,
    "assured_date" DATE,
    "provided_by" TEXT,
    "prerequisites" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "schedule" JSONB,
    "content_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "removed_at" TIMESTAMPTZ(3),

    CONSTRAINT "service_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "occurrence" (
    "id" UUID NOT NULL,
    "service_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "start" TIMESTAMPTZ(3) NOT NULL,
    "end" TIMESTAMPTZ(3) NOT NULL,
    "all_day" BOOLEAN NOT NULL DEFAULT false,
    "status" TEXT NOT NULL DEFAULT 'scheduled',
    "capacity" INTEGER,
    "booking_deadline" TIMESTAMPTZ(3),
    "title" TEXT,
    "note" TEXT,

    CONSTRAINT "occurrence_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "source_name_key" ON "source"("name");

-- CreateIndex
CREATE UNIQUE INDEX "organization_source_id_external_id_key" ON "organization"("source_id", "external_id");

-- CreateIndex
CREATE INDEX "location_ward_idx" ON "location"("ward");

-- CreateIndex
CREATE INDEX "location_postal_code_idx" ON "location"("postal_code");

-- CreateIndex
CREATE UNIQUE INDEX "location_source_id_external_id_key" ON "location"("source_id", "external_id");

-- CreateIndex
CREATE INDEX "service_kind_status_idx" ON "service"("kind", "status");

-- CreateIndex
CREATE INDEX "service_created_at_idx" ON "service"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "service_source_id_external_id_key" ON "service"("source_id", "external_id");

-- CreateIndex
CREATE INDEX "occurrence_start_idx" ON "occurrence"("start");

-- CreateIndex
CREATE UNIQUE INDEX "occurrence_service_id_key_key" ON "occurrence"("service_id", "key");

-- AddForeignKey
ALTER TABLE "organization" ADD CONSTRAINT "organization_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "source"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "location" ADD CONSTRAINT "location_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "source"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "service" ADD CONSTRAINT "service_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "source"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "service" ADD CONSTRAINT "service_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "service" ADD CONSTRAINT "service_location_id_fkey" FOREIGN KEY ("location_id") REFERENCES "location"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "occurrence" ADD CONSTRAINT "occurrence_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "service"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Hand-written: database-side ids for bulk inserts, full-text and trigram search.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

ALTER TABLE "source" ALTER COLUMN "id" SET DEFAULT gen_random_uuid();
ALTER TABLE "organization" ALTER COLUMN "id" SET DEFAULT gen_random_uuid();
ALTER TABLE "location" ALTER COLUMN "id" SET DEFAULT gen_random_uuid();
ALTER TABLE "service" ALTER COLUMN "id" SET DEFAULT gen_random_uuid();
ALTER TABLE "occurrence" ALTER COLUMN "id" SET DEFAULT gen_random_uuid();

-- array_to_string is only STABLE; for text[] it is safe to treat as IMMUTABLE in a generated column.
CREATE FUNCTION signpost_join(text[]) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT coalesce(array_to_string($1, ' '), '') $$;

ALTER TABLE "service" ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('english', coalesce("name", '')), 'A') ||
  setweight(to_tsvector('english', signpost_join("categories")), 'B') ||
  setweight(to_tsvector('simple', signpost_join("audiences") || ' ' || signpost_join("languages")), 'B') ||
  setweight(to_tsvector('english', coalesce("provided_by", '')), 'C') ||
  setweight(to_tsvector('english', left(coalesce("description", ''), 20000)), 'D')
) STORED;

CREATE INDEX "service_search_vector_idx" ON "service" USING GIN ("search_vector");
CREATE INDEX "service_name_trgm_idx" ON "service" USING GIN ("name" gin_trgm_ops);
CREATE INDEX "location_name_trgm_idx" ON "location" USING GIN ("name" gin_trgm_ops);
CREATE INDEX "organization_name_trgm_idx" ON "organization" USING GIN ("name" gin_trgm_ops);
