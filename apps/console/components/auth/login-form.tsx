"use client";

import { fieldMeta, loginInputSchema } from "@gatehouse/shared";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useEffect, useState } from "react";
import { ApiError } from "@/lib/api-client.ts";
import { endpoints } from "@/lib/endpoints.ts";
import { useSchemaForm } from "@/lib/use-schema-form.ts";
import { Banner } from "../ui/banner.tsx";
import { TextField } from "../ui/text-field.tsx";
import { AuthCard } from "./auth-card.tsx";
import { safeNext, useAuthStatus, useSignedIn } from "./use-auth.ts";

const emailMeta = fieldMeta(loginInputSchema, "email");

function loginErrorMessage(error: Error): string {
  if (!(error instanceof ApiError)) return error.message;
  if (error.status === 401) return "That email and password do not match an admin.";
  if (error.status === 429) {
    return error.retryAfter
      ? `Too many attempts. Try again in ${error.retryAfter} seconds.`
      : "Too many attempts. Try again shortly.";
  }
  return error.message;
}

export function LoginForm({ next }: { next: string | null }) {
  const router = useRouter();
  const status = useAuthStatus();
  const signedIn = useSignedIn();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const form = useSchemaForm(loginInputSchema, { email, password });
  const destination = safeNext(next);

  const login = useMutation({
    mutationFn: endpoints.auth.login,
    onSuccess: ({ data }) => {
      signedIn(data.admin);
      router.replace(destination);
    },
    onError: form.fail,
  });

  useEffect(() => {
    if (status.data?.setupRequired) router.replace("/setup");
    else if (status.data?.admin) router.replace(destination);
  }, [status.data, router, destination]);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const input = form.submit();
    if (input) login.mutate(input);
  }

  return (
    <AuthCard title="Sign in" description="Sign in to manage your gateway.">
      <form className="form" onSubmit={onSubmit} noValidate>
        {form.serverError ? <Banner>{loginErrorMessage(form.serverError)}</Banner> : null}
        <TextField
          id="login-email"
          label={emailMeta.title}
          type="email"
          autoComplete="username"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          onBlur={() => form.blur("email")}
          error={form.errorFor("email")}
          required
        />
        <TextField
          id="login-password"
          label="Password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          onBlur={() => form.blur("password")}
          error={form.errorFor("password")}
          required
        />
        <button type="submit" className="button button-primary" disabled={login.isPending}>
          {login.isPending ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </AuthCard>
  );
}
