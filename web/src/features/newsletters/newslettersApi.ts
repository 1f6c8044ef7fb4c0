// The newsletters service's server state: mailing lists (with their group and subscribers), a
// contact's subscriptions and opt-outs, campaigns (audience, preview, test, schedule, send,
// cancel, deliveries) and bouncing addresses, with the query keys the pages share.
import {
  keepPreviousData,
  useMutation,
  useQuery,
  useQueryClient,
  type QueryClient,
} from "@tanstack/react-query";

import { api, etagOf, unwrap } from "../../api/client";
import type { components } from "../../api/schema";

type Schemas = components["schemas"];
export type MailingList = Schemas["newsletters.MailingListView"];
export type Subscriber = Schemas["newsletters.Subscriber"];
export type ContactSubscription = Schemas["newsletters.ContactSubscription"];
export type Campaign = Schemas["newsletters.CampaignView"];
export type CampaignSummary = Schemas["newsletters.CampaignSummary"];
export type CampaignStatus = Campaign["status"];
export type CampaignReport = Schemas["newsletters.CampaignReport"];
export type AudienceSpec = Schemas["newsletters.AudienceSpec"];
export type NewCampaign = Schemas["newsletters.NewCampaign"];
export type Preview = Schemas["newsletters.Preview"];
export type Delivery = Schemas["newsletters.DeliveryView"];
export type DeliveryStatus = Delivery["status"];
export type BouncingAddress = Schemas["newsletters.BouncingAddressView"];

export const DELIVERY_STATUSES: readonly DeliveryStatus[] = ["queued", "sent", "failed", "cancelled"];
/** The page size the services allow at most. */
export const MAX_PAGE = 500;

export const newsletterKeys = {
  all: ["newsletters"] as const,
  lists: ["newsletters", "lists"] as const,
  listPage: (offset: number, limit: number) => ["newsletters", "lists", "page", offset, limit] as const,
  listChoices: ["newsletters", "lists", "choices"] as const,
  list: (id: string) => ["newsletters", "lists", "one", id] as const,
  subscribers: (id: string) => ["newsletters", "lists", "one", id, "subscribers"] as const,
  contact: (contactId: string) => ["newsletters", "contact", contactId] as const,
  campaigns: ["newsletters", "campaigns"] as const,
  campaignPage: (offset: number, limit: number) =>
    ["newsletters", "campaigns", "page", offset, limit] as const,
  campaign: (id: string) => ["newsletters", "campaigns", "one", id] as const,
  bouncing: ["newsletters", "bouncing"] as const,
};

// ---- Mailing lists ---------------------------------------------------------------------------

export function useListPage(offset: number, limit: number) {
  return useQuery({
    queryKey: newsletterKeys.listPage(offset, limit),
    queryFn: ({ signal }) =>
      unwrap(api.GET("/api/v1/newsletters/lists", { params: { query: { offset, limit } }, signal })),
    placeholderData: keepPreviousData,
  });
}

/** Every list (a club has a handful): the choices of an audience or a subscriptions panel. */
export function useListChoices(enabled = true) {
  return useQuery({
    queryKey: newsletterKeys.listChoices,
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/newsletters/lists", {
          params: { query: { offset: 0, limit: MAX_PAGE } },
          signal,
        }),
      ),
    select: (page) => page.items,
    enabled,
  });
}

/** One list with its ETag, which a rename or delete sends back as If-Match. */
export function useMailingList(listId: string) {
  return useQuery({
    queryKey: newsletterKeys.list(listId),
    queryFn: async ({ signal }) => {
      const answer = await api.GET("/api/v1/newsletters/lists/{list_id}", {
        params: { path: { list_id: listId } },
        signal,
      });
      const list = await unwrap(Promise.resolve(answer));
      return { list, etag: etagOf(answer.response) ?? `"${list.version}"` };
    },
  });
}

function invalidateLists(client: QueryClient) {
  return client.invalidateQueries({ queryKey: newsletterKeys.lists });
}

export function useCreateList() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (name: string) =>
      unwrap(api.POST("/api/v1/newsletters/lists", { body: { name } })),
    onSuccess: () => invalidateLists(client),
  });
}

export function useRenameList(listId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ name, etag }: { name: string; etag: string }) =>
      unwrap(
        api.PATCH("/api/v1/newsletters/lists/{list_id}", {
          params: { path: { list_id: listId }, header: { "If-Match": etag } },
          body: { name },
        }),
      ),
    // A refused (stale) rename loads the current list, so the next try has its version.
    onSettled: () => invalidateLists(client),
  });
}

export function useDeleteList(listId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (etag: string) =>
      unwrap(
        api.DELETE("/api/v1/newsletters/lists/{list_id}", {
          params: { path: { list_id: listId }, header: { "If-Match": etag } },
        }),
      ),
    onSettled: () => {
      void invalidateLists(client);
      void client.invalidateQueries({ queryKey: [...newsletterKeys.all, "contact"] });
    },
  });
}

/** After the list's group or subscribers change: the list, its subscribers, the contacts'. */
function afterSubscriptionChange(client: QueryClient) {
  void invalidateLists(client);
  void client.invalidateQueries({ queryKey: [...newsletterKeys.all, "contact"] });
}

export function useLinkGroup(listId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (groupId: string) =>
      unwrap(
        api.PUT("/api/v1/newsletters/lists/{list_id}/group", {
          params: { path: { list_id: listId } },
          body: { group_id: groupId },
        }),
      ),
    onSuccess: () => afterSubscriptionChange(client),
  });
}

export function useUnlinkGroup(listId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () =>
      unwrap(
        api.DELETE("/api/v1/newsletters/lists/{list_id}/group", {
          params: { path: { list_id: listId } },
        }),
      ),
    onSuccess: () => afterSubscriptionChange(client),
  });
}

/** The list's active subscribers; group members arrive through events, so this looks again
 * every few seconds while the page is open. */
export function useSubscribers(listId: string, offset: number, limit: number) {
  return useQuery({
    queryKey: [...newsletterKeys.subscribers(listId), offset, limit],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/newsletters/lists/{list_id}/subscribers", {
          params: { path: { list_id: listId }, query: { offset, limit } },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
    refetchInterval: 4000,
  });
}

export function useAddSubscriber(listId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (contactId: string) =>
      unwrap(
        api.POST("/api/v1/newsletters/lists/{list_id}/subscribers", {
          params: { path: { list_id: listId } },
          body: { contact_id: contactId },
        }),
      ),
    onSuccess: () => afterSubscriptionChange(client),
  });
}

export function useRemoveSubscriber(listId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (contactId: string) =>
      unwrap(
        api.DELETE("/api/v1/newsletters/lists/{list_id}/subscribers/{contact_id}", {
          params: { path: { list_id: listId, contact_id: contactId } },
        }),
      ),
    onSuccess: () => afterSubscriptionChange(client),
  });
}

// ---- A contact's subscriptions and opt-outs --------------------------------------------------

export function useContactSubscriptions(contactId: string) {
  return useQuery({
    queryKey: newsletterKeys.contact(contactId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/newsletters/contacts/{contact_id}/subscriptions", {
          params: { path: { contact_id: contactId }, query: { offset: 0, limit: MAX_PAGE } },
          signal,
        }),
      ),
    // Group-made subscriptions arrive through events.
    refetchInterval: 5000,
  });
}

export function useOptOut(contactId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (listId: string) =>
      unwrap(
        api.POST("/api/v1/newsletters/contacts/{contact_id}/opt-outs", {
          params: { path: { contact_id: contactId } },
          body: { list_id: listId },
        }),
      ),
    onSettled: () => afterSubscriptionChange(client),
  });
}

export function useOptIn(contactId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (listId: string) =>
      unwrap(
        api.DELETE("/api/v1/newsletters/contacts/{contact_id}/opt-outs/{list_id}", {
          params: { path: { contact_id: contactId, list_id: listId } },
        }),
      ),
    onSettled: () => afterSubscriptionChange(client),
  });
}

// ---- Campaigns -------------------------------------------------------------------------------

export function useCampaignPage(offset: number, limit: number) {
  return useQuery({
    queryKey: newsletterKeys.campaignPage(offset, limit),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/newsletters/campaigns", { params: { query: { offset, limit } }, signal }),
      ),
    placeholderData: keepPreviousData,
    // A scheduled campaign starts by itself; the list follows.
    refetchInterval: (query) =>
      query.state.data?.items.some((c) => c.status === "sending" || c.status === "scheduled")
        ? 3000
        : false,
  });
}

/** Polled every second while sending (the live report), every 5 s while scheduled. */
export function useCampaign(campaignId: string, enabled = true) {
  return useQuery({
    queryKey: newsletterKeys.campaign(campaignId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/newsletters/campaigns/{campaign_id}", {
          params: { path: { campaign_id: campaignId } },
          signal,
        }),
      ),
    enabled,
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      if (status === "sending") return 1000;
      if (status === "scheduled") return 5000;
      return false;
    },
  });
}

export function useAudienceSize(campaignId: string, enabled: boolean) {
  return useQuery({
    queryKey: [...newsletterKeys.campaign(campaignId), "audience"],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/newsletters/campaigns/{campaign_id}/audience", {
          params: { path: { campaign_id: campaignId } },
          signal,
        }),
      ),
    enabled,
  });
}

export function usePreview(campaignId: string, contactId: string | null) {
  return useQuery({
    queryKey: [...newsletterKeys.campaign(campaignId), "preview", contactId],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/newsletters/campaigns/{campaign_id}/preview", {
          params: { path: { campaign_id: campaignId }, query: { contact_id: contactId ?? "" } },
          signal,
        }),
      ),
    enabled: contactId !== null,
  });
}

/**
 * A page of a campaign's deliveries. `progress` says how far the campaign is (its status and
 * figures, polled with the campaign): the page is fetched again each time it moves, so the
 * table ends on the final statuses when the send is done instead of on the last poll's.
 */
export function useDeliveries(
  campaignId: string,
  status: DeliveryStatus | undefined,
  offset: number,
  limit: number,
  progress: string,
) {
  return useQuery({
    queryKey: [...newsletterKeys.campaign(campaignId), "deliveries", status, offset, limit, progress],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/newsletters/campaigns/{campaign_id}/deliveries", {
          params: { path: { campaign_id: campaignId }, query: { status, offset, limit } },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function useCreateCampaign() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: NewCampaign) => unwrap(api.POST("/api/v1/newsletters/campaigns", { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: newsletterKeys.campaigns }),
  });
}

function useCampaignAction<Input>(call: (input: Input) => Promise<unknown>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSettled: () => client.invalidateQueries({ queryKey: newsletterKeys.campaigns }),
  });
}

const campaignPath = (campaignId: string) => ({ path: { campaign_id: campaignId } });

export function useSendTest(campaignId: string) {
  return useMutation({
    mutationFn: (body: { email: string; contact_id: string | null }) =>
      unwrap(
        api.POST("/api/v1/newsletters/campaigns/{campaign_id}/test", {
          params: campaignPath(campaignId),
          body,
        }),
      ),
  });
}

export function useSchedule(campaignId: string) {
  return useCampaignAction((sendAt: string) =>
    unwrap(
      api.POST("/api/v1/newsletters/campaigns/{campaign_id}/schedule", {
        params: campaignPath(campaignId),
        body: { send_at: sendAt },
      }),
    ),
  );
}

export function useSendNow(campaignId: string) {
  return useCampaignAction(() =>
    unwrap(
      api.POST("/api/v1/newsletters/campaigns/{campaign_id}/send", {
        params: campaignPath(campaignId),
      }),
    ),
  );
}

export function useCancelCampaign(campaignId: string) {
  return useCampaignAction(() =>
    unwrap(
      api.POST("/api/v1/newsletters/campaigns/{campaign_id}/cancel", {
        params: campaignPath(campaignId),
      }),
    ),
  );
}

// ---- Audience sources from the contacts service ----------------------------------------------

export function useSavedSearches(enabled: boolean) {
  return useQuery({
    queryKey: ["contacts", "saved-searches", "choices"],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/contacts/saved-searches", {
          params: { query: { offset: 0, limit: MAX_PAGE } },
          signal,
        }),
      ),
    select: (page) => page.items,
    enabled,
  });
}

/** Every contact id a saved search finds now, page after page (cursor). */
export async function savedSearchContactIds(searchId: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await unwrap(
      api.GET("/api/v1/contacts/saved-searches/{search_id}/contact-ids", {
        params: { path: { search_id: searchId }, query: { limit: 10_000, cursor } },
      }),
    );
    ids.push(...page.contact_ids);
    if (!page.next_cursor) return ids;
    cursor = page.next_cursor;
  }
}

export function useFamilyChoices(enabled: boolean) {
  return useQuery({
    queryKey: ["contacts", "families", "choices"],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/contacts/families", {
          params: { query: { offset: 0, limit: MAX_PAGE } },
          signal,
        }),
      ),
    select: (page) => page.items,
    enabled,
  });
}

export function useGroupChoices(enabled: boolean) {
  return useQuery({
    queryKey: ["groups", "choices"],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/contacts/groups", {
          params: { query: { offset: 0, limit: MAX_PAGE } },
          signal,
        }),
      ),
    enabled,
  });
}

// ---- Bouncing addresses ----------------------------------------------------------------------

export function useBouncingAddresses(offset: number, limit: number) {
  return useQuery({
    queryKey: [...newsletterKeys.bouncing, offset, limit],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/newsletters/bouncing-addresses", {
          params: { query: { offset, limit } },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function useClearBouncing() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (email: string) =>
      unwrap(
        api.DELETE("/api/v1/newsletters/bouncing-addresses/{email}", {
          params: { path: { email } },
        }),
      ),
    onSettled: () => client.invalidateQueries({ queryKey: newsletterKeys.bouncing }),
  });
}
