// The server matches every request against the app's routes with @remix-run/router, patched
// (patches/@remix-run+router+1.23.3.patch) to rank the routes once and compile each pattern once.
// These pin what the cache must not change: the ranking, and patterns that differ only in case
// sensitivity or in matching to the end.
import { matchRoutes, type AgnosticRouteObject } from "@remix-run/router";
import { describe, expect, it } from "vitest";

const ids = (routes: AgnosticRouteObject[], path: string) => matchRoutes(routes, path)?.map((m) => m.route.id) ?? null;

describe("route matching (patched to cache)", () => {
  const routes: AgnosticRouteObject[] = [
    {
      id: "root",
      path: "",
      children: [
        { id: "campaign", path: "c/:slug" },
        {
          id: "admin",
          path: "admin",
          children: [
            { id: "admin-index", index: true },
            { id: "new", path: "campaigns/new" },
            { id: "edit", path: "campaigns/:slug" },
          ],
        },
        { id: "splat", path: "*" },
      ],
    },
  ];

  it("ranks the same way at every match", () => {
    for (let i = 0; i < 3; i++) {
      expect(ids(routes, "/admin/campaigns/new")).toEqual(["root", "admin", "new"]);
      expect(ids(routes, "/admin/campaigns/landmines")).toEqual(["root", "admin", "edit"]);
      expect(ids(routes, "/admin")).toEqual(["root", "admin", "admin-index"]);
      expect(ids(routes, "/c/landmines")).toEqual(["root", "campaign"]);
      expect(ids(routes, "/nowhere/at/all")).toEqual(["root", "splat"]);
    }
    expect(matchRoutes(routes, "/c/landmines")?.[1].params).toEqual({ slug: "landmines" });
  });

  it("keeps patterns apart that differ only in case sensitivity", () => {
    const strict: AgnosticRouteObject[] = [{ id: "strict", path: "Signatures", caseSensitive: true }];
    const loose: AgnosticRouteObject[] = [{ id: "loose", path: "Signatures" }];
    expect(ids(loose, "/signatures")).toEqual(["loose"]);
    expect(ids(strict, "/signatures")).toBeNull();
    expect(ids(strict, "/Signatures")).toEqual(["strict"]);
  });

  it("keeps a parent's prefix match apart from the same path matched to the end", () => {
    const nested: AgnosticRouteObject[] = [{ id: "parent", path: "exports", children: [{ id: "child", path: "csv" }] }];
    const leaf: AgnosticRouteObject[] = [{ id: "leaf", path: "exports" }];
    expect(ids(nested, "/exports/csv")).toEqual(["parent", "child"]);
    expect(ids(leaf, "/exports/csv")).toBeNull();
    expect(ids(leaf, "/exports")).toEqual(["leaf"]);
  });
});
