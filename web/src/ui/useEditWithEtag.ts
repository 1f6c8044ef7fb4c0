// Saving a form that creates a record or changes one read with its ETag: the change goes with
// If-Match; a 412 offers to keep my version (again with the stored ETag) or take the stored one.
import { useMutation, useQueryClient, type QueryKey } from "@tanstack/react-query";
import type { FormEvent } from "react";

import { alertErrorOf, fieldErrorsOf, staleOf, type Tagged } from "./tagged";

interface EditWithEtagOptions<T, Saved> {
  /** The record to change with the ETag it was read with; none to create one. */
  record: Tagged<T> | undefined;
  /** Create or change; etag is what to send as If-Match. */
  save: (etag: string | undefined) => Promise<Saved>;
  /** What a save (or taking the stored version) makes out of date. */
  queryKey: QueryKey;
  onSaved: (saved: Saved) => void;
  /** Puts the stored version's values in the form. */
  takeValues: (current: T) => void;
}

export function useEditWithEtag<T, Saved>({
  record,
  save,
  queryKey,
  onSaved,
  takeValues,
}: EditWithEtagOptions<T, Saved>) {
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: save,
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey });
      onSaved(saved);
    },
  });
  const stale = staleOf<T>(mutation.error);
  return {
    busy: mutation.isPending,
    stale,
    errors: fieldErrorsOf(mutation.error),
    alertError: alertErrorOf(mutation.error),
    submit: (event: FormEvent) => {
      event.preventDefault();
      mutation.mutate(record?.etag);
    },
    keepMine: () => {
      if (stale) mutation.mutate(stale.etag);
    },
    takeTheirs: () => {
      if (!stale) return;
      takeValues(stale.current);
      mutation.reset();
      void queryClient.invalidateQueries({ queryKey });
    },
  };
}
