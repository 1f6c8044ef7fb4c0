// Invite every match to the members' portal: the ids of all N matches (not only the page) are
// read through the query's id pages, then the invitations' own bulk button confirms and sends.
import { useMutation } from "@tanstack/react-query";

import { api, unwrap } from "../../api/client";
import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { ProblemAlert } from "../../ui/Problem";
import { BulkInviteButton } from "../invitations/BulkInviteButton";
import type { RunQuery } from "./finderApi";

const IDS_PER_PAGE = 1000;

export async function allMatchIds(query: RunQuery): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { contact_ids: string[]; next_cursor: string | null } = await unwrap(
      api.POST("/api/v1/contacts/contacts/query/ids", {
        body: {
          ...(query.filter ? { filter: query.filter } : {}),
          sort: query.sort,
          columns: ["id"],
          cursor,
          limit: IDS_PER_PAGE,
        },
      }),
    );
    ids.push(...page.contact_ids);
    cursor = page.next_cursor;
  } while (cursor);
  return ids;
}

export function InviteMatches({ query, total }: { query: RunQuery; total: number | undefined }) {
  const { t, number } = useI18n();
  const { can } = useAuth();
  const gather = useMutation({ mutationFn: () => allMatchIds(query) });
  if (!can("POST", "/invitations/bulk") || !can("POST", "/contacts/contacts/query/ids")) {
    return null;
  }
  if (!total) return null;
  return (
    <div className="toolbar">
      {gather.data ? (
        <BulkInviteButton contactIds={gather.data} />
      ) : (
        <button
          type="button"
          className="btn"
          disabled={gather.isPending}
          onClick={() => gather.mutate()}
        >
          {gather.isPending
            ? t("finder.invite.gathering")
            : t("finder.invite.prepare", { count: number(total) })}
        </button>
      )}
      <ProblemAlert error={gather.error} />
    </div>
  );
}
