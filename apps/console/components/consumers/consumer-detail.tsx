"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { historyHref } from "../history/object-href.ts";
import { PoliciesSection } from "../policies/policies-section.tsx";
import { DeleteButton } from "../ui/confirm-delete.tsx";
import { PageHeader } from "../ui/page-header.tsx";
import { Section } from "../ui/section.tsx";
import { ErrorState, LoadingState } from "../ui/states.tsx";
import { ConsumerDetails } from "./consumer-details.tsx";
import { KeysSection } from "./keys-section.tsx";
import { UsageSection } from "./usage-section.tsx";
import { useConsumer, useDeleteConsumer } from "./use-consumers.ts";

export function ConsumerDetailView({ id }: { id: string }) {
  const consumer = useConsumer(id);
  const breadcrumb = <Link href="/consumers">Consumers</Link>;

  if (consumer.isPending) return <LoadingState label="Loading consumer…" />;
  if (consumer.isError) {
    return (
      <>
        <PageHeader breadcrumb={breadcrumb} title="Consumer" />
        <ErrorState error={consumer.error} onRetry={() => void consumer.refetch()} />
      </>
    );
  }
  const data = consumer.data;

  return (
    <>
      <title>{`${data.name} · Gatehouse`}</title>
      <PageHeader
        breadcrumb={breadcrumb}
        title={data.name}
        description="A caller of your APIs and its keys."
        actions={
          <Link className="button" href={historyHref(data.id, "consumer")}>
            History
          </Link>
        }
      />
      <ConsumerDetails consumer={data} />
      <KeysSection consumerId={data.id} consumerName={data.name} />
      <UsageSection consumerId={data.id} />
      <PoliciesSection
        description="Policies for this consumer only, e.g. its own rate limit; they replace policies of the same kind on the APIs it calls."
        emptyText="This consumer gets the policies of the APIs it calls, with its plan’s limits where a rate limit applies."
        points={[{ value: "consumer", label: "This consumer", scope: "consumer", ids: { consumerId: data.id } }]}
      />
      <Section title="Danger zone">
        <div className="row" style={{ justifyContent: "space-between" }}>
          <p className="muted">Delete the consumer, its API keys and its policies. This cannot be undone.</p>
          <DeleteConsumerButton id={data.id} name={data.name} />
        </div>
      </Section>
    </>
  );
}

function DeleteConsumerButton({ id, name }: { id: string; name: string }) {
  const router = useRouter();
  return (
    <DeleteButton
      label="Delete consumer"
      title={`Delete ${name}?`}
      remove={useDeleteConsumer(id)}
      variables={undefined}
      onDeleted={() => router.replace("/consumers")}
    >
      Its API keys stop working at once.
    </DeleteButton>
  );
}
