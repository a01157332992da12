# One image per process kind: docker build --target silo . / docker build --target edge .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# node and npm bundle the operator console's chart library (uPlot) into the edge at build time.
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
COPY . .
RUN dotnet publish src/Silo/AppMsg.Silo.csproj -c Release -o /out/silo \
 && dotnet publish src/Edge/AppMsg.Edge.csproj -c Release -o /out/edge

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS silo
WORKDIR /app
COPY --from=build /out/silo .
ENV APPMSG_ADVERTISED_HOST=auto
EXPOSE 11111 30000
ENTRYPOINT ["dotnet", "AppMsg.Silo.dll"]

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS edge
WORKDIR /app
COPY --from=build /out/edge .
EXPOSE 8080 7100
ENTRYPOINT ["dotnet", "AppMsg.Edge.dll"]
