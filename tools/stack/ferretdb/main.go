// ferretdb for the local stack: the embeddable FerretDB package behind a tiny main,
// because `go install .../cmd/ferretdb` panics without the generated build/version/version.txt.
package main

import (
	"context"
	"flag"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen-addr", "127.0.0.1:27017", "tcp address to listen on")
	handler := flag.String("handler", "sqlite", "backend: sqlite or postgresql")
	sqliteURL := flag.String("sqlite-url", "file:data/", "sqlite directory uri (must end with /)")
	postgresqlURL := flag.String("postgresql-url", "", "postgresql connection string for -handler=postgresql")
	flag.Parse()

	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{Level: slog.LevelInfo}))
	slog.SetDefault(logger)

	// sigterm from `stack.sh down`, sigint from a terminal: both close the listener and the backend
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	// the embedded package disables telemetry itself (state.DisableTelemetry + TelemetryLocked)
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:      ferretdb.ListenerConfig{TCP: *listen},
		Logger:        logger,
		Handler:       *handler,
		SQLiteURL:     *sqliteURL,
		PostgreSQLURL: *postgresqlURL,
	})
	if err != nil {
		logger.Error("ferretdb: start failed", "error", err)
		os.Exit(1)
	}

	logger.Info("ferretdb: listening", "addr", *listen, "handler", *handler)
	if err := f.Run(ctx); err != nil {
		logger.Error("ferretdb: stopped with error", "error", err)
		os.Exit(1)
	}
	logger.Info("ferretdb: stopped")
}
