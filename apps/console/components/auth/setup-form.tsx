"use client";

import { fieldMeta, setupInputSchema } from "@gatehouse/shared";
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { type FormEvent, useEffect, useState } from "react";
import { endpoints } from "@/lib/endpoints.ts";
import { useSchemaForm } from "@/lib/use-schema-form.ts";
import { Banner } from "../ui/banner.tsx";
import { LoadingState } from "../ui/states.tsx";
import { TextField } from "../ui/text-field.tsx";
import { AuthCard } from "./auth-card.tsx";
import { useAuthStatus, useSignedIn } from "./use-auth.ts";

const emailMeta = fieldMeta(setupInputSchema, "email");
const passwordMeta = fieldMeta(setupInputSchema, "password");

export function SetupForm({ token }: { token: string }) {
  const router = useRouter();
  const status = useAuthStatus();
  const signedIn = useSignedIn();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [confirmTouched, setConfirmTouched] = useState(false);
  const form = useSchemaForm(setupInputSchema, { token, email, password });

  const setup = useMutation({
    mutationFn: endpoints.auth.setup,
    onSuccess: ({ data }) => {
      signedIn(data.admin);
      router.replace("/apis");
    },
    onError: form.fail,
  });

  const alreadyDone = status.data && !status.data.setupRequired;
  useEffect(() => {
    if (alreadyDone && status.data?.admin) router.replace("/apis");
  }, [alreadyDone, status.data, router]);

  if (status.isPending)
    return (
      <AuthCard title="Set up Gatehouse">
        <LoadingState />
      </AuthCard>
    );
  if (alreadyDone) {
    return (
      <AuthCard title="Gatehouse is set up" description="An admin account already exists.">
        <Link className="button button-primary" href="/login">
          Sign in
        </Link>
      </AuthCard>
    );
  }
  if (!token) {
    return (
      <AuthCard title="Set up Gatehouse">
        <Banner tone="warning">
          Open the setup link the console printed when it started. It ends in <code>/setup?token=…</code>
        </Banner>
      </AuthCard>
    );
  }

  const confirmError =
    (confirmTouched || form.errorFor("password") !== undefined) && confirm !== password
      ? "The passwords differ"
      : undefined;

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setConfirmTouched(true);
    const input = form.submit();
    if (!input || confirm !== password) return;
    setup.mutate(input);
  }

  return (
    <AuthCard
      title="Set up Gatehouse"
      description="Create the admin account. You will use it to sign in to this console."
    >
      <form className="form" onSubmit={onSubmit} noValidate>
        {form.serverError ? <Banner>{form.serverError.message}</Banner> : null}
        {form.errorFor("token") ? <Banner>{form.errorFor("token")}</Banner> : null}
        <TextField
          id="setup-email"
          label={emailMeta.title}
          type="email"
          autoComplete="email"
          value={email}
          {...form.bind("email", setEmail)}
          required
        />
        <TextField
          id="setup-password"
          label={passwordMeta.title}
          hint={passwordMeta.description}
          type="password"
          autoComplete="new-password"
          value={password}
          {...form.bind("password", setPassword)}
          required
        />
        <TextField
          id="setup-confirm"
          label="Confirm password"
          type="password"
          autoComplete="new-password"
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
          onBlur={() => setConfirmTouched(true)}
          error={confirmError}
          required
        />
        <button type="submit" className="button button-primary" disabled={setup.isPending}>
          {setup.isPending ? "Creating account…" : "Create admin account"}
        </button>
      </form>
    </AuthCard>
  );
}
