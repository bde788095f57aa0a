"use client";

import type { Certificate, CertificateCreate } from "@gatehouse/shared";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { endpoints, queryKeys } from "@/lib/endpoints.ts";

export function useCertificates() {
  return useQuery({
    queryKey: queryKeys.certificates,
    queryFn: async () => (await endpoints.certificates.list()).data.data,
  });
}

export function useCertificateMutations() {
  const queryClient = useQueryClient();
  const options = { onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.certificates }) };
  return {
    create: useMutation({ mutationFn: (input: CertificateCreate) => endpoints.certificates.create(input), ...options }),
    remove: useMutation({ mutationFn: (id: string) => endpoints.certificates.remove(id), ...options }),
  };
}

const DAY_MS = 86_400_000;
/** The Overview warns this long before a certificate expires. */
export const EXPIRY_WARNING_DAYS = 30;

export const daysLeft = (certificate: Certificate, now = Date.now()) =>
  Math.floor((Date.parse(certificate.notAfter) - now) / DAY_MS);

/** The certificates expiring within the warning window (or expired), soonest first. */
export function expiringSoon(certificates: readonly Certificate[], now = Date.now()): Certificate[] {
  return certificates
    .filter((certificate) => daysLeft(certificate, now) < EXPIRY_WARNING_DAYS)
    .sort((a, b) => Date.parse(a.notAfter) - Date.parse(b.notAfter));
}
