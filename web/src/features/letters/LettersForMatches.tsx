// In the advanced search: make a letter for every match (all N, not only the page); the ids
// are read through the query's id pages when the job starts, so the letters go to exactly
// the contacts that matched then.
import { useAuth } from "../../auth/AuthProvider";
import { allMatchIds } from "../finder/InviteMatches";
import type { RunQuery } from "../finder/finderApi";
import { GenerateLetters } from "./GenerateLetters";

export function LettersForMatches({ query, total }: { query: RunQuery; total: number | undefined }) {
  const { can } = useAuth();
  if (!can("POST", "/billing/letters/jobs") || !can("POST", "/contacts/contacts/query/ids")) {
    return null;
  }
  if (!total) return null;
  return <GenerateLetters contactIds={() => allMatchIds(query)} count={total} />;
}
